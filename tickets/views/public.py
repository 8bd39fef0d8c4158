"""Customer pages: the contact form, its confirmation, and the private case page."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ehelp.api import article_snapshot, note_contact_sent

from .. import selectors, services
from ..forms import ContactForm, CustomerReplyForm
from ..models import State

STATE_FOR_CUSTOMER = {
    State.BOOKSHOP: _("Ihre Partnerbuchhandlung bearbeitet Ihre Anfrage."),
    State.LEVEL1: _("Ihre Anfrage wird vom eBookit-Support (Level 1) zusammen mit Ihrer Buchhandlung bearbeitet."),
    State.LEVEL2: _("Ihre Anfrage wird von den Spezialisten des eBookit-Supports (Level 2) bearbeitet."),
    State.SOLVED: _("Ihr Fall ist gelöst. Antworten Sie, falls das Problem wieder auftritt."),
    State.ABORTED: _("Der Support wurde abgebrochen. Die Begründung finden Sie im Verlauf."),
    State.REFUNDED: _("Ihr eBook wird rückerstattet. Der Fall ist abgeschlossen."),
}


def _tried_ehelp(slug: str) -> dict:
    return (article_snapshot(slug) or {}) if slug else {}


@never_cache
def contact(request):
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if data["website"]:
                # A bot filled the hidden field: answer as if all went well, store nothing.
                return redirect("tickets:contact-sent")
            try:
                result = services.create_ticket(
                    bookshop=data["bookshop"],
                    customer_name=data["customer_name"],
                    customer_email=data["customer_email"],
                    subject=data["subject"],
                    message=data["message"],
                    category=data["category"],
                    device=data["device"],
                    order_number=data["order_number"],
                    language=translation.get_language() or "de",
                    tried_ehelp=_tried_ehelp(data["tried_article"]),
                    submission_key=data["submission_key"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                if result.access_token is not None:
                    note_contact_sent(request, data["tried_article"])
                    request.session["contact_sent"] = {
                        "reference": result.ticket.reference,
                        "token": result.access_token,
                        "bookshop": result.ticket.bookshop.name,
                        "email": result.ticket.customer_email,
                    }
                else:
                    request.session.setdefault("contact_sent", {"reference": result.ticket.reference})
                return redirect("tickets:contact-sent")
    else:
        form = ContactForm(
            initial={"submission_key": uuid.uuid4(), "tried_article": request.GET.get("article", "")[:80]}
        )
    return render(request, "tickets/contact.html", {"form": form})


@never_cache
def contact_sent(request):
    sent = request.session.get("contact_sent")
    if not sent:
        return redirect("tickets:contact")
    return render(request, "tickets/contact_sent.html", {"sent": sent})


@never_cache
def case(request, token):
    ticket = services.find_by_access_token(token)
    if ticket is None:
        raise Http404
    form = CustomerReplyForm()
    if request.method == "POST":
        form = CustomerReplyForm(request.POST)
        if form.is_valid():
            try:
                services.customer_reply(ticket_id=ticket.pk, text=form.cleaned_data["text"])
            except services.CaseMovedOn:
                messages.error(request, _("Dieser Fall ist abgeschlossen. Bitte senden Sie eine neue Anfrage."))
            else:
                messages.success(request, _("Danke, Ihre Antwort ist angekommen."))
                return redirect("tickets:case", token=token)
    context = {
        "ticket": ticket,
        "state_text": STATE_FOR_CUSTOMER[ticket.state],
        "events": selectors.timeline(ticket, public_only=True),
        "form": form,
        "can_reply": not ticket.is_closed or ticket.reopen_window_open(),
    }
    return render(request, "tickets/case.html", context)
