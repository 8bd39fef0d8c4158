"""Level 1 and Level 2 work cases here. The change page shows the timeline and one button per transition the
user may do now; each opens a form for what the transition must carry and calls the same service as the
bookshop's web UI, so mails, timeline and locking behave the same."""

from django import forms as django_forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import attachments, remote_sessions, roles, selectors, services, transitions
from .forms import MessageForm, NoteForm, RemoteConsentRequestForm, RemoteOutcomeForm
from .models import OPEN_STATES, Bookshop, BookshopMember, Refund, RemoteSession, State, Ticket


class BookshopMemberInline(admin.TabularInline):
    model = BookshopMember
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Bookshop)
class BookshopAdmin(admin.ModelAdmin):
    list_display = ["name", "place", "is_active", "language"]
    list_filter = ["is_active", "language"]
    search_fields = ["name", "place"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [BookshopMemberInline]


class WaitingFilter(admin.SimpleListFilter):
    title = gettext_lazy("Antwortfrist")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", gettext_lazy("überfällig"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(state__in=OPEN_STATES, answer_due_at__lt=timezone.now())
        return queryset


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ["reference", "state_badge", "bookshop", "subject", "customer_name", "age", "waiting", "assigned_to"]
    list_filter = ["state", WaitingFilter, "customer_email_bounced", "bookshop", "category", "assigned_to"]
    search_fields = ["reference", "customer_name", "customer_email", "subject", "message"]
    list_select_related = ["bookshop", "assigned_to"]
    list_per_page = 50
    show_full_result_count = False
    fields = ["reference", "state", "bookshop", "customer_name", "customer_email", "language", "category", "device",
              "order_number", "subject", "message", "tried_ehelp", "assigned_to", "created_at", "waiting_since",
              "closed_at"]
    readonly_fields = [f for f in fields if f != "assigned_to"]
    change_form_template = "admin/tickets/ticket/change_form.html"

    def has_add_permission(self, request):
        return False  # cases come from the contact form

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assigned_to":
            from django.contrib.auth import get_user_model

            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=gettext_lazy("Status"), ordering="state")
    def state_badge(self, obj):
        return format_html('<span class="state-{}">{}</span>', obj.state, obj.get_state_display())

    @admin.display(description=gettext_lazy("Alter"), ordering="created_at")
    def age(self, obj):
        return timesince(obj.created_at, timezone.now())

    @admin.display(description=gettext_lazy("wartet seit"), ordering="waiting_since")
    def waiting(self, obj):
        return timesince(obj.waiting_since, timezone.now()) if obj.waiting_since else "–"

    def get_urls(self):
        custom = [
            path("<int:pk>/transition/<str:name>/", self.admin_site.admin_view(self.transition_view),
                 name="tickets_ticket_transition"),
            path("<int:pk>/message/", self.admin_site.admin_view(self.message_view), name="tickets_ticket_message"),
            path("<int:pk>/note/", self.admin_site.admin_view(self.note_view), name="tickets_ticket_note"),
            path("<int:pk>/files/<int:attachment_id>/", self.admin_site.admin_view(self.file_view),
                 name="tickets_ticket_file"),
            path("<int:pk>/remote/request/", self.admin_site.admin_view(self.remote_request_view),
                 name="tickets_ticket_remote_request"),
            path("<int:pk>/remote/<int:session_id>/<str:step>/", self.admin_site.admin_view(self.remote_step_view),
                 name="tickets_ticket_remote_step"),
        ]
        return custom + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        ticket = get_object_or_404(Ticket.objects.select_related("bookshop"), pk=object_id)
        extra_context = {
            **(extra_context or {}),
            "ticket": ticket,
            "events": selectors.timeline(ticket),
            "mails": selectors.mails_of(ticket),
            "transitions": transitions.available(ticket, request.user),
            "can_write": not ticket.is_closed and (roles.is_level1(request.user) or roles.is_level2(request.user)),
            "file_base": reverse("admin:tickets_ticket_change", args=[ticket.pk]).replace("/change/", "/files/"),
            "remote_sessions": list(ticket.remote_sessions.all()),
            "can_remote": ticket.state == State.LEVEL2 and roles.is_level2(request.user),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _back(self, ticket):
        return redirect(reverse("admin:tickets_ticket_change", args=[ticket.pk]))

    def _form_page(self, request, ticket, form, title, action_url):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": ticket,
            "ticket": ticket,
            "form": form,
            "title": title,
            "action_url": action_url,
        }
        return TemplateResponse(request, "admin/tickets/ticket/action_form.html", context,
                                status=400 if form.is_bound else 200)

    def _run(self, request, ticket, form, call, done, title):
        if request.method == "POST" and form.is_valid() and transitions.call_service(request, form, call, done):
            return self._back(ticket)
        return self._form_page(request, ticket, form, title, request.path)

    def transition_view(self, request, pk, name):
        ticket = get_object_or_404(Ticket, pk=pk)
        if name not in transitions.TRANSITIONS or not self.has_view_permission(request, ticket):
            raise PermissionDenied
        spec = transitions.TRANSITIONS[name]
        if spec not in transitions.available(ticket, request.user):
            messages.error(request, _("Dieser Schritt ist für Sie bei diesem Fall jetzt nicht möglich."))
            return self._back(ticket)
        form = transitions.form_for(name, request.POST if request.method == "POST" else None)
        return self._run(request, ticket, form,
                         lambda data: transitions.perform(name, ticket.pk, request.user, data),
                         _("Erledigt: %(step)s.") % {"step": spec.label}, f"{ticket.reference}: {spec.label}")

    def message_view(self, request, pk):
        ticket = get_object_or_404(Ticket, pk=pk)
        if not self.has_view_permission(request, ticket):
            raise PermissionDenied
        form = MessageForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
        return self._run(request, ticket, form,
                         lambda data: services.send_message(ticket_id=ticket.pk, actor=request.user, text=data["text"],
                                                            to=data["to"], files=data["attachments"]),
                         _("Die Nachricht ist unterwegs."), f"{ticket.reference}: {_('Nachricht')}")

    def note_view(self, request, pk):
        ticket = get_object_or_404(Ticket, pk=pk)
        if not self.has_view_permission(request, ticket):
            raise PermissionDenied
        form = NoteForm(request.POST if request.method == "POST" else None)
        return self._run(request, ticket, form,
                         lambda data: services.add_internal_note(ticket_id=ticket.pk, actor=request.user, **data),
                         _("Die interne Notiz ist gespeichert."), f"{ticket.reference}: {_('Interne Notiz')}")


    def remote_request_view(self, request, pk):
        ticket = get_object_or_404(Ticket, pk=pk)
        if not roles.is_level2(request.user):
            raise PermissionDenied
        form = RemoteConsentRequestForm(request.POST if request.method == "POST" else None)
        return self._run(request, ticket, form,
                         lambda data: remote_sessions.request_consent(ticket_id=ticket.pk, actor=request.user, **data),
                         _("Die Anfrage zum Einverständnis ist per Mail an den Kunden unterwegs."),
                         f"{ticket.reference}: {_('Fernwartung anfragen')}")

    def remote_step_view(self, request, pk, session_id, step):
        ticket = get_object_or_404(Ticket, pk=pk)
        session = get_object_or_404(RemoteSession, pk=session_id, ticket=ticket)
        if not roles.is_level2(request.user) or step not in ("start", "finish"):
            raise PermissionDenied
        if step == "start":
            form = django_forms.Form(request.POST if request.method == "POST" else None)
            return self._run(request, ticket, form,
                             lambda data: remote_sessions.start(session_id=session.pk, actor=request.user),
                             _("Die Fernwartung ist gestartet."), f"{ticket.reference}: {_('Fernwartung starten')}")
        form = RemoteOutcomeForm(request.POST if request.method == "POST" else None)
        return self._run(request, ticket, form,
                         lambda data: remote_sessions.finish(session_id=session.pk, actor=request.user, **data),
                         _("Das Ergebnis der Fernwartung ist erfasst."),
                         f"{ticket.reference}: {_('Ergebnis der Fernwartung')}")

    def file_view(self, request, pk, attachment_id):
        ticket = get_object_or_404(Ticket, pk=pk)
        if not self.has_view_permission(request, ticket):
            raise PermissionDenied
        return attachments.download(ticket, attachment_id)


@admin.register(Refund)
class RefundAdmin(admin.ModelAdmin):
    list_display = ["ticket", "ebook_title", "amount_chf", "reason", "created_at", "created_by"]
    list_select_related = ["ticket", "created_by"]
    readonly_fields = ["ticket", "ebook_title", "amount_chf", "payment_reference", "reason", "customer_consulted",
                       "created_by", "created_at"]

    def has_add_permission(self, request):
        return False  # a refund is made by the refund transition on the case
