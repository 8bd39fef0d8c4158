"""Who is told what (PRODUCT.md, "Who is told what"). Each function writes outbox rows inside the caller's
transaction; a worker sends them after commit. Customers get mail in their language, bookshops in theirs,
the Level 1 and Level 2 teams in German."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mail import outbox

from .models import State, Ticket

CUSTOMER_TEMPLATE = "tickets/mail/customer"
STAFF_TEMPLATE = "tickets/mail/staff"

CUSTOMER_HEADLINES = {
    "solve": _("Ihr Fall ist gelöst"),
    "abort": _("Die Fernwartung wurde abgebrochen"),
    "refund": _("Ihr eBook wird rückerstattet"),
    "reopen": _("Ihr Fall ist wieder offen"),
}
CUSTOMER_NEXT_STEPS = {
    "solve": _("Falls das Problem wieder auftritt, antworten Sie einfach auf diese Mail."),
    "abort": _(
        "Der Support analysiert Ihren Rechner erst weiter, wenn ihn eine Fachperson oder Firma repariert hat. "
        "Sollte das Gerät defekt oder unbrauchbar sein, lehnt der Support im Rahmen der Sorgfaltspflicht "
        "jede Haftung ab."
    ),
    "refund": _(
        "Der Betrag wird Ihrem Zahlungsmittel gutgeschrieben. Die Hotline von Comelivres meldet sich bei Ihnen."
    ),
    "reopen": _("Wir kümmern uns wieder um Ihr Anliegen und melden uns bei Ihnen."),
}
STAFF_HEADLINES = {
    "escalate_to_level1": _("Fall an Support Level 1 weitergegeben"),
    "escalate_to_level2": _("Fall an Support Level 2 weitergegeben"),
    "return_to_bookshop": _("Fall an die Partnerbuchhandlung zurückgegeben"),
    "return_to_level1": _("Fall an Support Level 1 zurückgegeben"),
    "solve": _("Fall gelöst"),
    "abort": _("Fall abgebrochen"),
    "refund": _("Fall rückerstattet"),
    "reopen": _("Fall wieder eröffnet"),
}


def queue_url(ticket: Ticket) -> str:
    return settings.SITE_URL + reverse("tickets:queue-case", args=[ticket.reference])


def admin_url(ticket: Ticket) -> str:
    return settings.SITE_URL + reverse("admin:tickets_ticket_change", args=[ticket.pk])


def case_url(token: str) -> str:
    return settings.SITE_URL + reverse("tickets:case", args=[token])


def _to_customer(ticket: Ticket, headline, text: str, *, next_steps="", link: str = "", files=()) -> None:
    outbox.enqueue(
        to=ticket.customer_email,
        template=CUSTOMER_TEMPLATE,
        context={"ticket": ticket, "headline": headline, "text": text, "next_steps": next_steps, "link": link},
        thread=ticket.reference,
        language=ticket.language,
        attachments=files,
    )


def _to_bookshop(ticket: Ticket, headline, text: str, *, author="", files=()) -> None:
    outbox.enqueue(
        to=ticket.bookshop.notification_addresses,
        template=STAFF_TEMPLATE,
        context={"ticket": ticket, "headline": headline, "text": text, "author": author, "link": queue_url(ticket)},
        thread=ticket.reference,
        language=ticket.bookshop.language,
        attachments=files,
    )


def _to_team(level: str, ticket: Ticket, headline, text: str, *, author="", files=()) -> None:
    address = settings.LEVEL1_EMAIL if level == State.LEVEL1 else settings.LEVEL2_EMAIL
    outbox.enqueue(
        to=address,
        template=STAFF_TEMPLATE,
        context={"ticket": ticket, "headline": headline, "text": text, "author": author, "link": admin_url(ticket)},
        thread=ticket.reference,
        language="de",
        attachments=files,
    )


def _to_holder(ticket: Ticket, headline, text: str, *, author="", files=()) -> None:
    if ticket.state == State.BOOKSHOP:
        _to_bookshop(ticket, headline, text, author=author, files=files)
    elif ticket.state in (State.LEVEL1, State.LEVEL2):
        _to_team(ticket.state, ticket, headline, text, author=author, files=files)


def new_case(ticket: Ticket, token: str, files=()) -> None:
    _to_bookshop(ticket, _("Neuer Fall: %(subject)s") % {"subject": ticket.subject}, ticket.message,
                 author=f"{ticket.customer_name} <{ticket.customer_email}>", files=files)
    _to_customer(
        ticket,
        _("Ihre Anfrage ist eingegangen"),
        ticket.message,
        next_steps=_(
            "%(bookshop)s hat Ihre Anfrage erhalten und meldet sich so bald wie möglich bei Ihnen. "
            "Unter dem folgenden Link sehen Sie jederzeit den Stand und können antworten."
        )
        % {"bookshop": ticket.bookshop.name},
        link=case_url(token),
    )


def transition(ticket: Ticket, name: str, text: str, from_state: str) -> None:
    """Mails for a state change, by the table in PRODUCT.md."""
    headline = STAFF_HEADLINES[name]
    if name == "escalate_to_level1":
        _to_team(State.LEVEL1, ticket, headline, text)
        _to_bookshop(ticket, headline, text)
    elif name == "escalate_to_level2":
        _to_team(State.LEVEL2, ticket, headline, text)
        _to_bookshop(ticket, headline, text)
    elif name == "return_to_bookshop":
        _to_bookshop(ticket, headline, text)
    elif name == "return_to_level1":
        _to_team(State.LEVEL1, ticket, headline, text)
    elif name == "abort":
        _to_customer(ticket, CUSTOMER_HEADLINES[name], text, next_steps=CUSTOMER_NEXT_STEPS[name])
        _to_bookshop(ticket, headline, text)
    elif name == "solve":
        _to_customer(ticket, CUSTOMER_HEADLINES[name], text, next_steps=CUSTOMER_NEXT_STEPS[name])
        if from_state != State.BOOKSHOP:
            _to_bookshop(ticket, headline, text)
    elif name == "reopen":
        _to_customer(ticket, CUSTOMER_HEADLINES[name], text, next_steps=CUSTOMER_NEXT_STEPS[name])
        _to_holder(ticket, headline, text)


def refund(ticket: Ticket, record) -> None:
    outbox.enqueue(
        to=settings.SUPPORT_HOTLINE_EMAIL,
        template="tickets/mail/refund_hotline",
        context={"ticket": ticket, "refund": record},
        thread=ticket.reference,
        language="de",
    )
    text = _("Rückerstattung für «%(title)s»: CHF %(amount)s.") % {
        "title": record.ebook_title,
        "amount": f"{record.amount_chf:.2f}",
    }
    _to_customer(ticket, CUSTOMER_HEADLINES["refund"], text, next_steps=CUSTOMER_NEXT_STEPS["refund"])
    _to_bookshop(ticket, STAFF_HEADLINES["refund"], text)


def message_to_customer(ticket: Ticket, text: str, files=()) -> None:
    _to_customer(ticket, _("Antwort zu Ihrer Anfrage"), text,
                 next_steps=_("Sie können einfach auf diese Mail antworten."), files=files)


def message_to_bookshop(ticket: Ticket, text: str, author, files=()) -> None:
    _to_bookshop(ticket, _("Nachricht von %(author)s") % {"author": author}, text, author=author, files=files)


def message_to_support(ticket: Ticket, text: str, author, files=()) -> None:
    _to_team(ticket.state, ticket, _("Nachricht von %(author)s") % {"author": author}, text, author=author,
             files=files)


def customer_replied(ticket: Ticket, text: str, files=()) -> None:
    _to_holder(ticket, _("Antwort des Kunden"), text, author=ticket.customer_name, files=files)
