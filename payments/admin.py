"""The hotline's list of payment-problem reports: read-only details, a "handled" mark, and the screenshot
served through a permission-checked view (files never lie on a public path)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common import uploads

from . import services
from .models import PaymentProblem, payment_methods


class PaymentMethodFilter(admin.SimpleListFilter):
    title = _("Zahlungsmittel")
    parameter_name = "method"

    def lookups(self, request, model_admin):
        return payment_methods()

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(payment_method=self.value())
        return queryset


@admin.register(PaymentProblem)
class PaymentProblemAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "created_at",
        "name",
        "email",
        "amount_chf",
        "method",
        "completed",
        "handled",
    ]
    list_display_links = ["reference"]
    list_filter = ["handled", "completed", PaymentMethodFilter, "created_at"]
    search_fields = ["reference", "name", "email", "order_number", "ebook_titles", "phone"]
    date_hierarchy = "created_at"
    list_per_page = 50
    show_full_result_count = False
    actions = ["mark_handled", "mark_unhandled"]
    change_form_template = "payments/admin/change_form.html"
    fieldsets = [
        (None, {"fields": ["reference", "created_at", "language", "handled_status"]}),
        (_("Kunde"), {"fields": ["name", "email", "phone"]}),
        (
            _("Zahlung"),
            {
                "fields": [
                    "completed",
                    "ebook_titles",
                    "order_number",
                    "amount_chf",
                    "method",
                    "occurred_on",
                    "occurred_time",
                ]
            },
        ),
        (_("Beschreibung"), {"fields": ["description", "screenshot"]}),
    ]
    readonly_fields = [
        "reference",
        "created_at",
        "language",
        "handled_status",
        "name",
        "email",
        "phone",
        "completed",
        "ebook_titles",
        "order_number",
        "amount_chf",
        "method",
        "occurred_on",
        "occurred_time",
        "description",
        "screenshot",
    ]

    def has_add_permission(self, request):
        return False  # reports come from the public form

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("handled_by")

    @admin.display(description=_("Zahlungsmittel"), ordering="payment_method")
    def method(self, obj):
        return obj.get_payment_method_display()

    @admin.display(description=_("erledigt"))
    def handled_status(self, obj):
        if not obj.handled:
            return _("offen")
        by = obj.handled_by.get_username() if obj.handled_by else "–"
        when = date_format(timezone.localtime(obj.handled_at), "d.m.Y H:i") if obj.handled_at else "–"
        return format_html("{} ({}, {})", _("erledigt"), by, when)

    @admin.display(description=_("Bildschirmfoto"))
    def screenshot(self, obj):
        if not obj.has_screenshot:
            return _("keines")
        url = reverse("admin:payments_paymentproblem_screenshot", args=[obj.pk])
        return format_html(
            '<a href="{}">{}</a> ({}, {} KB)',
            url,
            obj.screenshot_name,
            obj.screenshot_content_type,
            (obj.screenshot_size or 0) // 1024,
        )

    @admin.action(description=_("Als erledigt markieren"), permissions=["change"])
    def mark_handled(self, request, queryset):
        count = services.mark_handled(problem_ids=queryset.values_list("pk", flat=True), actor=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d Meldung als erledigt markiert.",
                "%(count)d Meldungen als erledigt markiert.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Wieder als offen markieren"), permissions=["change"])
    def mark_unhandled(self, request, queryset):
        count = services.mark_unhandled(problem_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%(count)d Meldung wieder offen.", "%(count)d Meldungen wieder offen.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "can_mark_handled": self.has_change_permission(request),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def handled_view(self, request, pk):
        if request.method != "POST":
            raise PermissionDenied
        problem = get_object_or_404(PaymentProblem, pk=pk)
        if not self.has_change_permission(request, problem):
            raise PermissionDenied
        if request.POST.get("handled") == "0":
            services.mark_unhandled(problem_ids=[problem.pk])
            self.message_user(request, _("Die Meldung ist wieder offen."), messages.SUCCESS)
        else:
            services.mark_handled(problem_ids=[problem.pk], actor=request.user)
            self.message_user(request, _("Die Meldung ist als erledigt markiert."), messages.SUCCESS)
        return redirect(reverse("admin:payments_paymentproblem_change", args=[problem.pk]))

    def get_urls(self):
        custom = [
            path(
                "<int:pk>/handled/",
                self.admin_site.admin_view(self.handled_view),
                name="payments_paymentproblem_handled",
            ),
            path(
                "<int:pk>/screenshot/",
                self.admin_site.admin_view(self.screenshot_view),
                name="payments_paymentproblem_screenshot",
            ),
        ]
        return custom + super().get_urls()

    def screenshot_view(self, request, pk):
        problem = get_object_or_404(PaymentProblem, pk=pk)
        if not self.has_view_permission(request, problem):
            raise PermissionDenied
        if not problem.has_screenshot:
            raise Http404
        try:
            handle = uploads.open_private(problem.screenshot_path)
        except (ValueError, FileNotFoundError) as exc:
            raise Http404 from exc
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=problem.screenshot_name,
            content_type=problem.screenshot_content_type or "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
