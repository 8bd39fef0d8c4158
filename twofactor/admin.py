from django.contrib import admin

from .models import TOTPDevice


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    """Administrators see who has set up an app and delete a device when a phone is lost; never the secret."""

    list_display = ["user", "confirmed_at", "last_used_at"]
    search_fields = ["user__username"]
    fields = ["user", "confirmed_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
