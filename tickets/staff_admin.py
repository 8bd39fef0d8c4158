"""Admin pages beside the models: the staff dashboard (`/admin/dashboard/`) and the privacy page
(`/admin/privacy/`: export and erase the personal data of one customer address).

Wired into the site by one line in ebookit_support/urls.py, above `path("admin/", admin.site.urls)`:

    path("admin/", include("tickets.staff_admin")),

which names the pages `staff_admin:dashboard`, `staff_admin:privacy`, ... Every view runs inside
`admin_site.admin_view` (staff login, CSRF, no caching) and checks its own permission on top.

The charts are inline SVG drawn from geometry computed here; each has a table with the same numbers beside it."""

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import dashboard, privacy, roles
from .models import State

log = logging.getLogger(__name__)

app_name = "staff_admin"


def may_see_dashboard(user) -> bool:
    """Support Level 1, Level 2 and superusers."""
    return bool(
        user and user.is_authenticated and user.is_active
        and (user.is_superuser or roles.is_level1(user) or roles.is_level2(user))
    )


# --- charts (geometry for inline SVG) ------------------------------------------------------------------------


@dataclass
class Segment:
    key: str  # the series, also the CSS class suffix
    value: float
    x: float
    y: float
    width: float
    height: float
    title: str


@dataclass
class Bar:
    label: str
    total: str
    label_x: float
    label_y: float
    total_x: float
    total_y: float
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar]
    axis: tuple[float, float, float, float]  # x1, y1, x2, y2 of the base line
    legend: list[tuple[str, str]]  # (key, label)


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def horizontal_chart(rows, legend, *, maximum=None, width=560, label_width=190, bar=18, gap=8) -> Chart:
    """One bar per row, its series stacked left to right. rows: [(label, [(key, value)], total_text)]."""
    plot = width - label_width - 70
    top = max([sum(v for _k, v in parts) for _label, parts, _t in rows] + [maximum or 0]) or 1
    bars = []
    for i, (label, parts, total) in enumerate(rows):
        y = gap + i * (bar + gap)
        x = float(label_width)
        item = Bar(label=_short(label, 30), total=total, label_x=label_width - 6, label_y=y + bar - 5,
                   total_x=0, total_y=y + bar - 5)
        for key, value in parts:
            w = plot * value / top
            item.segments.append(Segment(key, value, round(x, 1), y, round(w, 1), bar,
                                         f"{label}: {dict(legend).get(key, key)} {value:g}"))
            x += w
        item.total_x = round(x + 6, 1)
        bars.append(item)
    height = gap + len(rows) * (bar + gap)
    return Chart(width, height, bars, (label_width, 0, label_width, height), list(legend))


def vertical_chart(columns, legend, *, width=560, height=220, label_height=22) -> Chart:
    """One column per entry, its series stacked bottom to top. columns: [(label, [(key, value)], total_text)]."""
    top = max([sum(v for _k, v in parts) for _label, parts, _t in columns] + [1])
    plot_height = height - label_height - 18
    slot = (width - 10) / max(len(columns), 1)
    bar = slot * 0.62
    base = height - label_height
    bars = []
    for i, (label, parts, total) in enumerate(columns):
        x = 5 + i * slot + (slot - bar) / 2
        y = float(base)
        item = Bar(label=label, total=total, label_x=round(x + bar / 2, 1), label_y=height - 6,
                   total_x=round(x + bar / 2, 1), total_y=0)
        for key, value in parts:
            h = plot_height * value / top
            y -= h
            item.segments.append(Segment(key, value, round(x, 1), round(y, 1), round(bar, 1), round(h, 1),
                                         f"{label}: {dict(legend).get(key, key)} {value:g}"))
        item.total_y = round(y - 4, 1)
        bars.append(item)
    return Chart(width, height, bars, (0, base, width, base), list(legend))


# --- formatting ----------------------------------------------------------------------------------------------


def duration_text(value: timedelta | None) -> str:
    if value is None:
        return "–"
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days >= 2:
        return _("%(days)d Tage %(hours)d Std.") % {"days": days, "hours": hours}
    hours += days * 24
    if hours:
        return _("%(hours)d Std. %(minutes)d Min.") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d Min.") % {"minutes": minutes}


def percent(rate: float | None) -> str:
    return "–" if rate is None else f"{rate * 100:.1f} %"


STATE_LABELS = dict(State.choices)
CHART_ROWS = 15  # bars per bookshop chart; the table beside it lists every bookshop


@dataclass
class Cell:
    text: str
    url: str = ""
    numeric: bool = True


@dataclass
class Table:
    head: list[str]
    rows: list[list[Cell]]
    foot: list[Cell] = field(default_factory=list)


@dataclass
class Section:
    id: str
    title: str
    note: str
    chart: Chart | None
    table: Table


def _n(value, url: str = "") -> Cell:
    return Cell(str(value), url)


def _label(text: str, url: str = "") -> Cell:
    return Cell(text, url, numeric=False)


def dashboard_context(figures: dashboard.Figures) -> dict:
    """The key figures, then one section per chart, each with the table of its numbers."""
    changelist = reverse("admin:tickets_ticket_changelist")
    since = date_format(timezone.localtime(figures.since), "F Y")
    open_states = [State.BOOKSHOP, State.LEVEL1, State.LEVEL2]
    state_legend = [(s.value, s.label) for s in open_states]
    outcome_legend = [(s.value, s.label) for s in (State.SOLVED, State.ABORTED, State.REFUNDED)]

    summary = [
        (_("offene Fälle"), figures.open_total, changelist + "?state__in=" + ",".join(s.value for s in open_states)),
        (_("davon überfällig"), figures.overdue, f"{changelist}?overdue=yes"),
        (_("Median bis zur ersten Antwort"), duration_text(figures.median_first_answer), ""),
        (_("Median bis zum Abschluss"), duration_text(figures.median_close), ""),
        (_("Eskalationsquote an Level 1"), percent(figures.escalation_rate), ""),
    ]
    if figures.ehelp is not None:
        summary.append((_("durch eHelp vermiedene Anfragen"), percent(figures.ehelp.deflection_rate), ""))

    sections = []
    states = [(s, figures.open_by_state.get(s.value, 0)) for s in open_states]
    sections.append(Section(
        "open-states", _("Offene Fälle nach Status"),
        _("Stand jetzt. Davon überfällig (Antwortfrist abgelaufen): %(overdue)s.") % {"overdue": figures.overdue},
        horizontal_chart([(s.label, [(s.value, n)], str(n)) for s, n in states], state_legend),
        Table(
            [_("Status"), _("offen")],
            [[_label(s.label, f"{changelist}?state={s.value}"), _n(n)] for s, n in states],
            [_label(_("total")), _n(figures.open_total)],
        ),
    ))

    open_shops = sorted((s for s in figures.shops if s.open_total), key=lambda s: (-s.open_total, s.name))
    sections.append(Section(
        "open-shops", _("Offene Fälle nach Partnerbuchhandlung"),
        _("Stand jetzt; Buchhandlungen mit offenen Fällen (im Diagramm die %(n)d mit den meisten).")
        % {"n": CHART_ROWS},
        horizontal_chart(
            [(s.name, [(State.BOOKSHOP.value, s.open_bookshop), (State.LEVEL1.value, s.open_level1),
                       (State.LEVEL2.value, s.open_level2)], str(s.open_total)) for s in open_shops[:CHART_ROWS]],
            state_legend,
        ) if open_shops else None,
        Table(
            [_("Partnerbuchhandlung"), *[label for _key, label in state_legend], _("offen"), _("überfällig")],
            [
                [_label(s.name, f"{changelist}?bookshop__id__exact={s.bookshop_id}"), _n(s.open_bookshop),
                 _n(s.open_level1), _n(s.open_level2), _n(s.open_total), _n(s.overdue)]
                for s in open_shops
            ],
            [_label(_("total")), *[_n(figures.open_by_state.get(key, 0)) for key, _label_text in state_legend],
             _n(figures.open_total), _n(figures.overdue)],
        ),
    ))

    escalation_shops = sorted((s for s in figures.shops if s.cases),
                              key=lambda s: (-(s.escalation_rate or 0), s.name))
    sections.append(Section(
        "escalation", _("Eskalationsquote nach Partnerbuchhandlung"),
        _("Anteil der seit %(since)s eröffneten Fälle, die je an Support Level 1 gingen (im Diagramm die %(n)d "
          "höchsten).") % {"since": since, "n": CHART_ROWS},
        horizontal_chart(
            [(s.name, [("rate", round((s.escalation_rate or 0) * 100, 1))], percent(s.escalation_rate))
             for s in escalation_shops[:CHART_ROWS]],
            [("rate", _("an Level 1 eskaliert (%)"))],
            maximum=100,
        ) if escalation_shops else None,
        Table(
            [_("Partnerbuchhandlung"), _("Fälle"), _("an Level 1"), _("Quote")],
            [[_label(s.name), _n(s.cases), _n(s.escalated), _n(percent(s.escalation_rate))]
             for s in escalation_shops],
            [_label(_("total")), _n(figures.cases), _n(figures.escalated), _n(percent(figures.escalation_rate))],
        ),
    ))

    totals = figures.outcome_totals
    sections.append(Section(
        "outcomes", _("Abschlüsse pro Monat"),
        _("Geschlossene Fälle nach Ergebnis, seit %(since)s.") % {"since": since},
        vertical_chart(
            [(date_format(m.month, "M y"), [(State.SOLVED.value, m.solved), (State.ABORTED.value, m.aborted),
                                             (State.REFUNDED.value, m.refunded)], str(m.total or ""))
             for m in figures.outcomes],
            outcome_legend,
        ),
        Table(
            [_("Monat"), *[label for _key, label in outcome_legend], _("total")],
            [[_label(date_format(m.month, "F Y")), _n(m.solved), _n(m.aborted), _n(m.refunded), _n(m.total)]
             for m in figures.outcomes],
            [_label(_("total")), _n(totals.solved), _n(totals.aborted), _n(totals.refunded), _n(totals.total)],
        ),
    ))

    sections.append(Section(
        "times", _("Antwort- und Bearbeitungszeit"),
        _("Median der seit %(since)s eröffneten (erste Antwort) bzw. geschlossenen Fälle (Abschluss).")
        % {"since": since},
        None,
        Table(
            [_("Kennzahl"), _("Median"), _("Fälle")],
            [
                [_label(_("bis zur ersten Antwort an den Kunden")), _n(duration_text(figures.median_first_answer)),
                 _n(figures.answered)],
                [_label(_("bis zum Abschluss")), _n(duration_text(figures.median_close)), _n(figures.closed)],
            ],
        ),
    ))

    ehelp = figures.ehelp
    if ehelp is not None:
        legend = [("prevented", _("ohne Kontaktformular")), ("contact", _("danach Kontaktformular"))]
        sections.append(Section(
            "ehelp", _("eHelp: vermiedene Anfragen"),
            _("Besuchersitzungen mit gelesenem Artikel seit %(since)s, und ob danach das Kontaktformular folgte.")
            % {"since": since},
            horizontal_chart(
                [(_("Sitzungen"), [("prevented", ehelp.prevented), ("contact", ehelp.sessions_with_contact)],
                  str(ehelp.sessions))],
                legend,
            ) if ehelp.sessions else None,
            Table(
                [_("Kennzahl"), _("Wert")],
                [
                    [_label(_("Sitzungen mit eHelp")), _n(ehelp.sessions)],
                    [_label(_("danach Kontaktformular")), _n(ehelp.sessions_with_contact)],
                    [_label(_("ohne Kontaktformular (vermieden)")), _n(ehelp.prevented)],
                    [_label(_("Quote vermieden")), _n(percent(ehelp.deflection_rate))],
                    [_label(_("Stimmen «hat geholfen»")), _n(f"{ehelp.helpful} / {ehelp.helpful + ehelp.not_helpful}")],
                ],
            ),
        ))
    return {"figures": figures, "since_text": since, "summary": summary, "sections": sections}


# --- forms ---------------------------------------------------------------------------------------------------


class AddressForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-Mail-Adresse des Kunden"), max_length=254)


class EraseForm(AddressForm):
    confirm = forms.BooleanField(
        label=gettext_lazy("Ich bestätige: Die Personendaten dieser Adresse werden endgültig gelöscht."),
        required=False,
    )
    step = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("step") == "confirm" and not data.get("confirm"):
            self.add_error("confirm", _("Bitte bestätigen Sie das Löschen."))
        return data


# --- views ---------------------------------------------------------------------------------------------------


class StaffViews:
    def __init__(self, admin_site):
        self.admin_site = admin_site

    def _context(self, request, title: str, **extra) -> dict:
        return {**self.admin_site.each_context(request), "title": title, **extra}

    def dashboard(self, request):
        if not may_see_dashboard(request.user):
            raise PermissionDenied
        context = self._context(request, _("Auswertung"), **dashboard_context(dashboard.figures()))
        return TemplateResponse(request, "admin/dashboard.html", context)

    def _privacy_page(self, request, form, *, step="lookup", found=None, status=200):
        context = self._context(
            request, _("Datenschutz: Personendaten"), form=form, step=step, found=found,
            privacy_status=privacy.status(),
        )
        return TemplateResponse(request, "admin/privacy.html", context, status=status)

    def privacy(self, request):
        if not privacy.may_manage(request.user):
            raise PermissionDenied
        if request.method != "POST":
            return self._privacy_page(request, AddressForm())
        form = AddressForm(request.POST)
        if not form.is_valid():
            return self._privacy_page(request, form, status=400)
        return self._privacy_page(request, form, step="found",
                                  found=_summary(privacy.export(form.cleaned_data["email"])))

    def privacy_export(self, request):
        if not privacy.may_manage(request.user):
            raise PermissionDenied
        form = AddressForm(request.POST)
        if not form.is_valid():
            return self._privacy_page(request, form, status=400)
        data = privacy.export(form.cleaned_data["email"])
        log.info("privacy: export of %d case(s) by user %s", len(data["cases"]), request.user.pk)
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        filename = f"personendaten-{timezone.localdate():%Y-%m-%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response

    def privacy_erase(self, request):
        if not privacy.may_manage(request.user):
            raise PermissionDenied
        form = EraseForm(request.POST)
        if not form.is_valid():
            if "email" in form.cleaned_data and request.POST.get("step") == "confirm":
                found = _summary(privacy.export(form.cleaned_data["email"]))
                return self._privacy_page(request, form, step="confirm", found=found, status=400)
            return self._privacy_page(request, AddressForm(request.POST), status=400)
        address = form.cleaned_data["email"]
        if not form.cleaned_data.get("confirm"):
            confirm = EraseForm(initial={"email": address, "step": "confirm"})
            return self._privacy_page(request, confirm, step="confirm", found=_summary(privacy.export(address)))
        result = privacy.erase(address, actor=request.user)
        messages.success(request, _(
            "Die Personendaten sind gelöscht: %(cases)d Fall/Fälle anonymisiert, %(mails)d Mail(s) geleert, "
            "%(files)d Datei(en) entfernt, %(other)d weitere Einträge (z. B. Zahlungsprobleme) anonymisiert."
        ) % {"cases": result.cases, "mails": result.mails, "files": result.files, "other": result.other_records})
        return redirect(reverse("staff_admin:privacy"))


def _summary(data: dict) -> dict:
    return {
        "address": data["address"],
        "cases": [
            {"reference": c["reference"], "state": STATE_LABELS.get(c["state"], c["state"]),
             "open": c["state"] not in dashboard.OUTCOMES, "bookshop": c["bookshop"],
             "created_at": datetime.fromisoformat(c["created_at"]),
             "attachments": len(c["attachments"]), "events": len(c["timeline"])}
            for c in data["cases"]
        ],
        "open_cases": sum(1 for c in data["cases"] if c["state"] not in dashboard.OUTCOMES),
        "mails_sent": len(data["mails_sent"]),
        "mails_received": len(data["mails_received"]),
        "other_records": sum(len(records) for records in data["other"].values()),
        "empty": not (data["cases"] or data["mails_sent"] or data["mails_received"]
                      or any(data["other"].values())),
    }


def extra_admin_urls(admin_site) -> list:
    views = StaffViews(admin_site)
    return [
        path("dashboard/", admin_site.admin_view(views.dashboard), name="dashboard"),
        path("privacy/", admin_site.admin_view(views.privacy), name="privacy"),
        path("privacy/export/", admin_site.admin_view(require_POST(views.privacy_export)), name="privacy_export"),
        path("privacy/erase/", admin_site.admin_view(require_POST(views.privacy_erase)), name="privacy_erase"),
    ]


urlpatterns = extra_admin_urls(admin.site)
