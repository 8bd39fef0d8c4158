from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import inbound
from .models import DeliveryEvent, InboundMessage, OutboundMessage
from .outbox import dispatch
from .sending import deliver, threading_headers


class DeliveryEventInline(admin.TabularInline):
    model = DeliveryEvent
    fields = ["occurred_at", "event_type", "recipient", "description", "esp"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


# Password-reset mails carry a live link into someone's account: nobody reads them in the admin.
ACCOUNT_LINK_TEMPLATES = "registration/"


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "subject",
        "recipients",
        "status",
        "attempts",
        "error",
        "next_attempt_at",
        "delivery_status",
        "sent_at",
    ]
    list_filter = ["status", "delivery_status", "template"]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(template__startswith=ACCOUNT_LINK_TEMPLATES)
    search_fields = ["subject", "thread", "message_id", "provider_message_id", "to"]
    date_hierarchy = "created_at"
    actions = ["resend", "send_now"]
    list_per_page = 50
    show_full_result_count = False
    readonly_fields = [f.name for f in OutboundMessage._meta.fields] + ["headers"]
    inlines = [DeliveryEventInline]
    fieldsets = [
        (None, {"fields": ["thread", "subject", "from_email", "to", "reply_to", "language", "template"]}),
        (
            _("Zustand"),
            {
                "fields": [
                    "status",
                    "attempts",
                    "last_error",
                    "next_attempt_at",
                    "sent_at",
                    "provider_message_id",
                    "delivery_status",
                ]
            },
        ),
        (_("Inhalt"), {"fields": ["body_text", "body_html", "attachments"]}),
        (_("Kopfzeilen"), {"fields": ["headers", "message_id", "in_reply_to", "created_at"]}),
    ]

    @admin.display(description=_("an"))
    def recipients(self, obj):
        return ", ".join(obj.to)

    @admin.display(description=_("letzter Fehler"))
    def error(self, obj):
        return Truncator(obj.last_error).chars(80)

    @admin.display(description=_("Kopfzeilen beim Senden"))
    def headers(self, obj):
        rows = list(threading_headers(obj).items())
        if obj.reply_to:
            rows.append(("Reply-To", ", ".join(obj.reply_to)))
        return format_html("<pre>{}</pre>", "\n".join(f"{name}: {value}" for name, value in rows))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Erneut senden"), permissions=["change"])
    def resend(self, request, queryset):
        count = 0
        for message in queryset:
            # A failed mail gets a fresh start; a sent one is copied, never sent twice by accident.
            if message.status == OutboundMessage.Status.SENT:
                message.pk = None
                domain = message.message_id.rsplit("@", 1)[-1].rstrip(">")
                message.message_id = OutboundMessage.new_message_id(message.thread, domain)
                message.created_at = timezone.now()
                message.sent_at = None
                message.provider_message_id = ""
                message.delivery_status = ""
            message.attempts = 0
            message.status = OutboundMessage.Status.PENDING
            message.last_error = ""
            message.next_attempt_at = timezone.now()
            message.save()
            dispatch(message.pk)
            count += 1
        self.message_user(
            request,
            ngettext("%d Mail wird gesendet.", "%d Mails werden gesendet.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Wartende jetzt senden (ohne Wartezeit)"), permissions=["change"])
    def send_now(self, request, queryset):
        results = [
            deliver(pk, force=True)
            for pk in queryset.filter(status=OutboundMessage.Status.PENDING).values_list("pk", flat=True)
        ]
        sent = results.count(OutboundMessage.Status.SENT)
        self.message_user(
            request,
            _("%(sent)d von %(total)d Mails gesendet; die übrigen stehen mit ihrem Fehler in der Liste.")
            % {"sent": sent, "total": len(results)},
            messages.SUCCESS if sent == len(results) else messages.WARNING,
        )


class ReviewFilter(admin.SimpleListFilter):
    title = _("Prüfung")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("open", _("zu prüfen")), ("all", _("alle"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(status__in=InboundMessage.NEEDS_REVIEW)
        return queryset


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    """Mails that reached the inbound webhook. What no case took waits here: assign a case reference in
    «Thread» and choose «Verarbeiten», or mark it as done."""

    list_display = [
        "received_at",
        "status",
        "from_address",
        "subject",
        "thread",
        "match_method",
        "short_reason",
    ]
    list_filter = [ReviewFilter, "status", "match_method", "esp"]
    search_fields = ["from_address", "subject", "thread", "message_id", "reply_text"]
    date_hierarchy = "received_at"
    list_per_page = 50
    show_full_result_count = False
    actions = ["process_again", "dismiss"]
    fieldsets = [
        (None, {"fields": ["status", "reason", "thread", "match_method", "received_at", "processed_at"]}),
        (
            _("Mail"),
            {
                "fields": [
                    "from_name",
                    "from_address",
                    "to",
                    "subject",
                    "reply_text",
                    "attachment_list",
                    "refused_attachments",
                ]
            },
        ),
        (
            _("Technisches"),
            {
                "classes": ["collapse"],
                "fields": [
                    "esp",
                    "event_id",
                    "message_id",
                    "in_reply_to",
                    "references",
                    "envelope_sender",
                    "recipients",
                    "spam_score",
                    "attempts",
                    "last_error",
                    "header_list",
                    "body_text",
                    "body_html",
                ],
            },
        ),
    ]
    readonly_fields = [f.name for f in InboundMessage._meta.fields if f.name != "thread"] + [
        "attachment_list",
        "header_list",
    ]

    @admin.display(description=_("Grund"))
    def short_reason(self, obj):
        return Truncator(obj.reason or obj.last_error).chars(80)

    @admin.display(description=_("Anhänge"))
    def attachment_list(self, obj):
        return (
            format_html_join(", ", "{} ({} Bytes)", ((a["name"], a["size"]) for a in obj.attachments)) or "–"
        )

    @admin.display(description=_("Kopfzeilen"))
    def header_list(self, obj):
        return format_html("<pre>{}</pre>", "\n".join(f"{name}: {value}" for name, value in obj.headers))

    def get_queryset(self, request):
        return super().get_queryset(request).defer("body_html", "headers")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Verarbeiten (dem eingetragenen Fall zuordnen)"), permissions=["change"])
    def process_again(self, request, queryset):
        done, failed = 0, []
        for row in queryset.exclude(status=InboundMessage.Status.PROCESSED):
            try:
                result = inbound.process(row.pk, staff=bool(row.thread.strip()))
            except Exception as exc:  # noqa: BLE001 - shown to the person, the row keeps the error
                failed.append(f"{row}: {exc}")
                continue
            if result.status == InboundMessage.Status.PROCESSED:
                done += 1
            else:
                failed.append(f"{result}: {result.get_status_display()} – {result.reason}")
        if done:
            self.message_user(
                request,
                ngettext("%d Mail zugeordnet.", "%d Mails zugeordnet.", done) % done,
                messages.SUCCESS,
            )
        for line in failed:
            self.message_user(request, line, messages.WARNING)

    @admin.action(description=_("Als erledigt markieren"), permissions=["change"])
    def dismiss(self, request, queryset):
        count = queryset.filter(~Q(status=InboundMessage.Status.PROCESSED)).update(
            status=InboundMessage.Status.DISMISSED
        )
        self.message_user(request, ngettext("%d Mail erledigt.", "%d Mails erledigt.", count) % count)


@admin.register(DeliveryEvent)
class DeliveryEventAdmin(admin.ModelAdmin):
    list_display = ["received_at", "esp", "event_type", "recipient", "message", "description"]
    list_filter = ["event_type", "esp"]
    search_fields = ["recipient", "provider_message_id", "message__thread"]
    list_select_related = ["message"]
    readonly_fields = [f.name for f in DeliveryEvent._meta.fields]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
