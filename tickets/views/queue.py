"""The bookshop's queue: its own cases only. Every other case is a 404 for it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import attachments, roles, selectors, services, transitions
from ..forms import NoteForm, ReplyForm, TransitionForm

QUEUE_PAGE_SIZE = 25


def _bookshop_id(request) -> int:
    bookshop_id = roles.bookshop_id_of(request.user)
    if bookshop_id is None:
        raise Http404
    return bookshop_id


@login_required
def home_after_login(request):
    if roles.bookshop_id_of(request.user) is not None:
        return redirect("tickets:queue")
    if request.user.is_staff:
        return redirect("admin:index")
    return redirect("ehelp:home")


@login_required
def queue(request):
    bookshop_id = roles.bookshop_id_of(request.user)
    if bookshop_id is None:
        if request.user.is_staff:
            return redirect("admin:tickets_ticket_changelist")
        raise PermissionDenied
    view = request.GET.get("view", "bookshop")
    view = view if view in selectors.QUEUE_VIEWS else "bookshop"
    sort = request.GET.get("sort", "oldest")
    sort = sort if sort in selectors.QUEUE_SORTS else "oldest"
    search = request.GET.get("q", "")[:100]
    tickets = selectors.queue(bookshop_id, view=view, search=search, sort=sort)
    page = Paginator(tickets, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "bookshop": request.user.bookshop_membership.bookshop,
        "page": page,
        "view": view,
        "sort": sort,
        "q": search,
        "counts": selectors.queue_counts(bookshop_id),
        "now": selectors.now(),
        "views": [("bookshop", _("Bei uns")), ("level1", _("Bei Level 1")), ("level2", _("Bei Level 2")),
                  ("closed", _("Abgeschlossen"))],
        "sorts": [("oldest", _("Am längsten wartend")), ("newest", _("Neueste")),
                  ("overdue", _("Überfällige zuerst"))],
    }
    return render(request, "tickets/queue.html", context)


def _case_context(request, ticket, forms=None):
    forms = forms or {}
    available = transitions.available(ticket, request.user)
    return {
        "ticket": ticket,
        "events": selectors.timeline(ticket),
        "mails": selectors.mails_of(ticket),
        "transitions": [(spec, forms.get(spec.name) or transitions.form_for(spec.name, prefix=spec.name))
                        for spec in available],
        "reply_form": forms.get("reply") or ReplyForm(prefix="reply"),
        "file_base": f"/queue/{ticket.reference}/files/",
        "note_form": forms.get("note") or NoteForm(prefix="note"),
        "message_form": forms.get("message_level1") or TransitionForm(
            prefix="message_level1", text_label=_("Nachricht an den Support")),
        "can_write": not ticket.is_closed,
    }


@login_required
def case_detail(request, reference):
    ticket = selectors.case_for_bookshop(reference, _bookshop_id(request))
    return render(request, "tickets/queue_case.html", _case_context(request, ticket))


@login_required
@require_POST
def case_action(request, reference, action):
    ticket = selectors.case_for_bookshop(reference, _bookshop_id(request))
    if action == "reply":
        form = ReplyForm(request.POST, request.FILES, prefix="reply")
        call = lambda data: services.send_message(  # noqa: E731
            ticket_id=ticket.pk, actor=request.user, text=data["text"], to="customer", files=data["attachments"])
        done = _("Ihre Antwort geht per Mail an den Kunden.")
    elif action == "note":
        form = NoteForm(request.POST, prefix="note")
        call = lambda data: services.add_internal_note(ticket_id=ticket.pk, actor=request.user, text=data["text"])  # noqa: E731
        done = _("Die interne Notiz ist gespeichert.")
    elif action == "message_level1":
        form = TransitionForm(request.POST, prefix="message_level1")
        call = lambda data: services.send_message(  # noqa: E731
            ticket_id=ticket.pk, actor=request.user, text=data["text"], to="support")
        done = _("Ihre Nachricht geht an den Support.")
    elif action in transitions.TRANSITIONS:
        form = transitions.form_for(action, request.POST, prefix=action)
        call = lambda data: transitions.perform(action, ticket.pk, request.user, data)  # noqa: E731
        done = _("Erledigt: %(step)s.") % {"step": transitions.TRANSITIONS[action].label}
    else:
        raise Http404
    if form.is_valid() and transitions.call_service(request, form, call, done):
        return redirect("tickets:queue-case", reference=ticket.reference)
    return _render_with_errors(request, ticket, action, form)


@login_required
def case_file(request, reference, attachment_id):
    ticket = selectors.case_for_bookshop(reference, _bookshop_id(request))
    return attachments.download(ticket, attachment_id)


def _render_with_errors(request, ticket, action, form):
    messages.error(request, _("Bitte prüfen Sie die markierten Angaben."))
    ticket.refresh_from_db()
    return render(request, "tickets/queue_case.html", _case_context(request, ticket, {action: form}), status=400)
