from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import OutboundMessage
from .outbox import dispatch


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "subject", "recipients", "status", "attempts", "delivery_status", "sent_at"]
    list_filter = ["status", "delivery_status"]
    search_fields = ["subject", "thread", "message_id"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    readonly_fields = [f.name for f in OutboundMessage._meta.fields]

    @admin.display(description=_("an"))
    def recipients(self, obj):
        return ", ".join(obj.to)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Erneut senden"))
    def resend(self, request, queryset):
        count = 0
        for message in queryset:
            # A failed mail gets a fresh start; a sent one is copied, never sent twice by accident.
            if message.status == OutboundMessage.Status.SENT:
                message.pk = None
                domain = message.message_id.rsplit("@", 1)[-1].rstrip(">")
                message.message_id = OutboundMessage.new_message_id(message.thread, domain)
                message.attempts = 0
                message.sent_at = None
                message.provider_message_id = ""
                message.delivery_status = ""
            message.status = OutboundMessage.Status.PENDING
            message.last_error = ""
            message.next_attempt_at = timezone.now()
            message.save()
            dispatch(message.pk)
            count += 1
        self.message_user(
            request, ngettext("%d Mail wird gesendet.", "%d Mails werden gesendet.", count) % count, messages.SUCCESS
        )
