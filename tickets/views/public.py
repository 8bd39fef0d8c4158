"""Customer pages: the contact form, its confirmation, and the private case page."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from common import ratelimit
from ehelp.api import article_snapshot, note_contact_sent

from .. import attachments, remote_sessions, selectors, services
from ..forms import ContactForm, CustomerReplyForm, RemoteConsentForm
from ..models import State

RATE_SCOPE = "contact"

STATE_FOR_CUSTOMER = {
    State.BOOKSHOP: gettext_lazy("Ihre Partnerbuchhandlung bearbeitet Ihre Anfrage und meldet sich bei Ihnen."),
    State.LEVEL1: gettext_lazy(
        "Ihre Anfrage wird vom eBookit-Support (Level 1) zusammen mit Ihrer Buchhandlung bearbeitet."
    ),
    State.LEVEL2: gettext_lazy("Ihre Anfrage wird von den Spezialisten des eBookit-Supports (Level 2) bearbeitet."),
    State.SOLVED: gettext_lazy("Ihr Fall ist gelöst. Antworten Sie hier, falls das Problem wieder auftritt."),
    State.ABORTED: gettext_lazy("Der Support wurde abgebrochen. Die Begründung finden Sie im Verlauf."),
    State.REFUNDED: gettext_lazy("Ihr eBook wird rückerstattet. Der Fall ist abgeschlossen."),
}


def _form_errors_from(exc: ValidationError, form) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@never_cache
def contact(request):
    if request.method == "POST":
        if ratelimit.over_ip_limit(request, RATE_SCOPE):
            return ratelimit.too_many_requests(request)
        form = ContactForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            if data["website"]:
                # A bot filled the hidden field: answer as if all went well, store nothing.
                return redirect("tickets:contact-sent")
            if ratelimit.over_email_limit(data["customer_email"].lower(), RATE_SCOPE):
                return ratelimit.too_many_requests(request)
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
                    tried_ehelp=(article_snapshot(data["tried_article"]) or {}) if data["tried_article"] else {},
                    submission_key=data["submission_key"],
                    files=data["attachments"],
                )
            except ValidationError as exc:
                _form_errors_from(exc, form)
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
                    # A repeat of a submit already stored (double click, reload): this browser saw its
                    # confirmation already; another browser replaying the token learns nothing of the case.
                    request.session.setdefault("contact_sent", {"repeat": True})
                return redirect("tickets:contact-sent")
        if form.errors:
            messages.error(request, _("Bitte prüfen Sie die markierten Angaben. Ihre Eingaben sind erhalten."))
    else:
        form = ContactForm(
            initial={"submission_key": uuid.uuid4(), "tried_article": request.GET.get("article", "")[:80]}
        )
    return render(request, "tickets/contact.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
def contact_sent(request):
    sent = request.session.get("contact_sent")
    if not sent:
        return redirect("tickets:contact")
    if "token" in sent:
        # The private link is shown once; on a shared computer the next person must not find it here.
        request.session["contact_sent"] = {key: value for key, value in sent.items() if key != "token"}
    return render(request, "tickets/contact_sent.html", {"sent": sent})


def _case_or_404(token: str):
    ticket = services.find_by_access_token(token)
    if ticket is None:
        raise Http404
    return ticket


@never_cache
def case(request, token):
    ticket = _case_or_404(token)
    form = CustomerReplyForm()
    if request.method == "POST":
        form = CustomerReplyForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.customer_reply(ticket_id=ticket.pk, text=form.cleaned_data["text"],
                                        files=form.cleaned_data["attachments"])
            except services.CaseMovedOn:
                messages.error(request, _("Dieser Fall ist abgeschlossen. Bitte senden Sie eine neue Anfrage."))
            else:
                messages.success(request, _("Danke, Ihre Antwort ist angekommen."))
                return redirect("tickets:case", token=token)
    context = {
        "ticket": ticket,
        "token": token,
        "state_text": STATE_FOR_CUSTOMER[ticket.state],
        "events": selectors.timeline(ticket, public_only=True),
        "form": form,
        "can_reply": not ticket.is_closed or ticket.reopen_window_open(),
    }
    # The token is in the URL: the site-wide "same-origin" referrer policy keeps it from other sites. Not
    # "no-referrer": browsers then send "Origin: null" with the page's own form, which CSRF refuses.
    return render(request, "tickets/case.html", context, status=400 if form.errors else 200)


@never_cache
def case_file(request, token, attachment_id):
    return attachments.download(_case_or_404(token), attachment_id, public_only=True)


@never_cache
def remote_consent(request, token):
    """The customer's consent to remote maintenance: the seed's conditions, a backup, and agreement."""
    session = remote_sessions.session_for_consent(token)
    if session is None:
        raise Http404
    form = RemoteConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        given = remote_sessions.give_consent(token=token, backup_confirmed=form.cleaned_data["backup_confirmed"],
                                             ip=ratelimit.client_ip(request))
        if given is None:
            raise Http404
        response = render(request, "tickets/remote_consent_done.html", {"session": given, "ticket": given.ticket})
    else:
        response = render(request, "tickets/remote_consent.html",
                          {"session": session, "ticket": session.ticket, "form": form},
                          status=400 if form.errors else 200)
    return response
