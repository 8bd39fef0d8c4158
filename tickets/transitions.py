"""What the UI needs to offer a transition: its label, the form for what it must carry, and the call into the
service. The bookshop queue and the admin both use this, so both behave the same."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .forms import AbortForm, RefundForm, TransitionForm


@dataclass(frozen=True)
class TransitionUI:
    name: str
    label: str
    text_label: str = ""
    danger: bool = False


TRANSITIONS = {
    t.name: t
    for t in [
        TransitionUI("escalate_to_level1", _("An Support Level 1 weitergeben"), _("Was wurde bereits versucht?")),
        TransitionUI("escalate_to_level2", _("An Support Level 2 weitergeben"), _("Zusammenfassung für Level 2")),
        TransitionUI("return_to_bookshop", _("An die Partnerbuchhandlung zurückgeben"),
                     _("Anweisungen für die Buchhandlung")),
        TransitionUI("return_to_level1", _("An Support Level 1 zurückgeben"), _("Notiz für Level 1")),
        TransitionUI("solve", _("Als gelöst abschliessen"), _("Was hat das Problem gelöst? (geht an den Kunden)")),
        TransitionUI("reopen", _("Wieder eröffnen"), _("Warum wird der Fall wieder eröffnet?")),
        TransitionUI("abort", _("Support abbrechen"), danger=True),
        TransitionUI("refund", _("eBook rückerstatten"), danger=True),
    ]
}


def available(ticket, user) -> list[TransitionUI]:
    names = {t.name for t in ticket.get_available_user_state_transitions(user)}
    return [spec for name, spec in TRANSITIONS.items() if name in names]


def form_for(name: str, data=None, prefix=None):
    if name == "abort":
        return AbortForm(data, prefix=prefix)
    if name == "refund":
        return RefundForm(data, prefix=prefix)
    return TransitionForm(data, text_label=TRANSITIONS[name].text_label, prefix=prefix)


def perform(name: str, ticket_id: int, actor, data: dict):
    """Call the service for `name` with a form's cleaned data."""
    if name == "abort":
        return services.abort(ticket_id=ticket_id, actor=actor, finding=data["finding"], text=data["text"])
    if name == "refund":
        return services.refund(ticket_id=ticket_id, actor=actor, **data)
    keyword = {
        "solve": "what_solved_it",
        "escalate_to_level1": "what_was_tried",
        "return_to_bookshop": "instructions",
        "escalate_to_level2": "summary",
        "return_to_level1": "note",
        "reopen": "reason",
    }[name]
    return services.TRANSITION_SERVICES[name](ticket_id=ticket_id, actor=actor, **{keyword: data["text"]})


def call_service(request, form, call, done) -> bool:
    """Run `call` with a valid form's data and tell the user how it went, in words a person understands.

    Returns False when the service refused the data: the form then carries the reasons and is shown again."""
    try:
        call(form.cleaned_data)
    except PermissionDenied:
        messages.error(request, _("Diesen Schritt dürfen Sie bei diesem Fall nicht ausführen."))
    except services.CaseMovedOn as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return False
    else:
        messages.success(request, done)
    return True
