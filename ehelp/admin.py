"""Administrators edit eHelp here; Level 1 and 2 see which articles help (figures per article, computed by the
database in one query) and how many contact forms eHelp spared the bookshops (the "Kennzahlen" page)."""

from datetime import timedelta

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Article, InformationSource, Step
from .templatetags.ehelp_tags import percent

PERIODS = [(7, _("7 Tage")), (30, _("30 Tage")), (90, _("90 Tage")), (365, _("1 Jahr")), (0, _("gesamt"))]


class StepInline(admin.StackedInline):
    model = Step
    extra = 1
    fields = ["order", "text", "image", "image_alt"]


def _figure(field: str, label):
    def column(self, obj):
        return getattr(obj, field, 0)

    column.short_description = label
    column.admin_order_field = field
    return column


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "title", "language", "is_published", "order", "views", "helpful", "not_helpful", "helpful_rate",
        "suggested", "suggestion_clicks", "contacts_after",
    ]
    list_display_links = ["title"]
    list_filter = ["language", "is_published"]
    search_fields = ["title", "symptom", "keywords", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["slug", "language", "title", "symptom", "keywords", "intro", "order", "is_published"]
    inlines = [StepInline]
    ordering = ["order", "slug", "language"]
    change_list_template = "ehelp/admin/article_change_list.html"
    show_full_result_count = False

    views = _figure("views", _("Aufrufe"))
    helpful = _figure("helpful", _("Ja"))
    not_helpful = _figure("not_helpful", _("Nein"))
    suggested = _figure("suggested", _("vorgeschlagen"))
    suggestion_clicks = _figure("suggestion_clicks", _("Vorschlag geklickt"))
    contacts_after = _figure("contacts_after", _("Kontakt danach"))

    def get_queryset(self, request):
        return selectors.articles_with_figures(super().get_queryset(request))

    @admin.display(description=_("geholfen"))
    def helpful_rate(self, obj):
        votes = obj.helpful + obj.not_helpful
        return percent(obj.helpful / votes if votes else None)

    def get_urls(self):
        figures = path(
            "kennzahlen/", self.admin_site.admin_view(self.figures_view), name="ehelp_article_figures"
        )
        return [figures, *super().get_urls()]

    def figures_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            days = int(request.GET.get("tage", 30))
        except ValueError:
            days = 30
        if days not in {d for d, _label in PERIODS}:
            days = 30
        since = timezone.now() - timedelta(days=days) if days else None
        articles = selectors.articles_with_figures(since=since).order_by("-views", "order", "slug")
        context = {
            **self.admin_site.each_context(request),
            "title": _("eHelp: Kennzahlen"),
            "opts": self.model._meta,
            "overview": selectors.overview(since),
            "articles": articles,
            "periods": PERIODS,
            "days": days,
            "changelist_url": reverse("admin:ehelp_article_changelist"),
        }
        return TemplateResponse(request, "ehelp/admin/figures.html", context)


@admin.register(InformationSource)
class InformationSourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "language", "phone", "hours", "needs_confirmation", "is_published", "order"]
    list_filter = ["kind", "language", "is_published", "needs_confirmation"]
    search_fields = ["title", "description", "url", "phone"]
    fields = ["key", "kind", "language", "title", "description", "url", "phone", "hours", "needs_confirmation",
              "order", "is_published"]
