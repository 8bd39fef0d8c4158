from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tickets import roles
from tickets.models import OPEN_STATES

from .clock import business_time_between
from .models import (
    BookshopResponseTarget,
    BusinessHours,
    DigestSent,
    OverdueCase,
    PublicHoliday,
    Reminder,
    ResponseTarget,
)


@admin.register(ResponseTarget)
class ResponseTargetAdmin(admin.ModelAdmin):
    list_display = ["holder", "hours"]


@admin.register(BookshopResponseTarget)
class BookshopResponseTargetAdmin(admin.ModelAdmin):
    list_display = ["bookshop", "hours"]
    autocomplete_fields = ["bookshop"]


@admin.register(BusinessHours)
class BusinessHoursAdmin(admin.ModelAdmin):
    list_display = ["weekday", "opens", "closes"]
    list_filter = ["weekday"]


@admin.register(PublicHoliday)
class PublicHolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "due_at", "sent_at"]
    list_select_related = ["ticket"]
    search_fields = ["ticket__reference"]


@admin.register(DigestSent)
class DigestSentAdmin(ReadOnlyAdmin):
    list_display = ["date", "cases", "sent_at"]


def _may_see(request) -> bool:
    user = request.user
    return (
        user.is_active
        and user.is_staff
        and (
            user.is_superuser
            or roles.is_level1(user)
            or roles.is_level2(user)
            or user.has_perm("timelimits.view_overduecase")
        )
    )


@admin.register(OverdueCase)
class OverdueCaseAdmin(ReadOnlyAdmin):
    """Every open case whose answer is overdue, the longest overdue first: what Level 1 looks at each day."""

    list_display = ["case", "state", "bookshop", "subject", "answer_due_at", "overdue_by", "waiting_since"]
    list_filter = ["state", "bookshop"]
    list_select_related = ["bookshop"]
    search_fields = ["reference", "subject", "customer_name"]
    list_display_links = None
    show_full_result_count = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(state__in=OPEN_STATES, answer_due_at__lt=timezone.now())
            .order_by("answer_due_at")
        )

    @admin.display(description=_("Fall"), ordering="reference")
    def case(self, obj):
        return format_html(
            '<a href="{}"><strong>{}</strong></a>',
            reverse("admin:tickets_ticket_change", args=[obj.pk]),
            obj.reference,
        )

    @admin.display(description=_("überfällig seit (Geschäftszeit)"))
    def overdue_by(self, obj):
        overdue = business_time_between(obj.answer_due_at, timezone.now())
        hours, rest = divmod(int(overdue.total_seconds()), 3600)
        return format_html(
            '<span style="color:#b00020;font-weight:bold">{} h {} min</span>', hours, f"{rest // 60:02d}"
        )

    def has_module_permission(self, request):
        return _may_see(request)

    def has_view_permission(self, request, obj=None):
        return _may_see(request)

    def has_delete_permission(self, request, obj=None):
        return False
