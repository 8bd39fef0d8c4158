"""The staff dashboard's figures, computed by the database.

`figures()` runs a fixed number of queries whatever the number of cases (three on PostgreSQL, five elsewhere,
plus one for the eHelp figures), each an aggregate: no case is loaded into Python. Medians use PostgreSQL's
`percentile_cont`; other databases (SQLite in development) read the middle row(s) of the ordered durations.

The snapshot figures (open cases, overdue) are as of now; the others cover a period, by default the last twelve
calendar months including the current one: cases opened in it (escalation rate, time to first answer), cases
closed in it (time to close, outcomes per month) and eHelp use in it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from .models import CLOSED_STATES, OPEN_STATES, Bookshop, State, Ticket, TicketEvent

MONTHS = 12
OUTCOMES = tuple(state.value for state in CLOSED_STATES)  # solved, aborted, refunded


class Median(Aggregate):
    """PostgreSQL: the median of an expression (interval or number), `percentile_cont(0.5)`."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False


# --- the figures ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShopFigures:
    bookshop_id: int
    name: str
    is_active: bool
    open_bookshop: int = 0
    open_level1: int = 0
    open_level2: int = 0
    overdue: int = 0
    cases: int = 0  # opened in the period
    escalated: int = 0  # of those, cases that ever reached Level 1

    @property
    def open_total(self) -> int:
        return self.open_bookshop + self.open_level1 + self.open_level2

    @property
    def escalation_rate(self) -> float | None:
        return self.escalated / self.cases if self.cases else None


@dataclass(frozen=True)
class MonthOutcome:
    month: date
    solved: int = 0
    aborted: int = 0
    refunded: int = 0

    @property
    def total(self) -> int:
        return self.solved + self.aborted + self.refunded


@dataclass(frozen=True)
class Figures:
    now: datetime
    since: datetime
    open_by_state: dict[str, int]
    overdue: int
    shops: list[ShopFigures]
    answered: int  # cases opened in the period that got a first answer
    median_first_answer: timedelta | None
    closed: int  # cases closed in the period
    median_close: timedelta | None
    outcomes: list[MonthOutcome]
    ehelp: object | None = None  # ehelp.selectors.Overview, or None while eHelp offers no figures

    @property
    def open_total(self) -> int:
        return sum(self.open_by_state.values())

    @property
    def cases(self) -> int:
        return sum(shop.cases for shop in self.shops)

    @property
    def escalated(self) -> int:
        return sum(shop.escalated for shop in self.shops)

    @property
    def escalation_rate(self) -> float | None:
        return self.escalated / self.cases if self.cases else None

    @property
    def outcome_totals(self) -> MonthOutcome:
        return MonthOutcome(
            month=self.since.date(),
            solved=sum(m.solved for m in self.outcomes),
            aborted=sum(m.aborted for m in self.outcomes),
            refunded=sum(m.refunded for m in self.outcomes),
        )


def period_start(now: datetime, months: int = MONTHS) -> datetime:
    """Midnight (local time) on the first day of the month `months - 1` months before `now`'s month."""
    local = timezone.localtime(now)
    index = local.year * 12 + (local.month - 1) - (months - 1)
    start = datetime(index // 12, index % 12 + 1, 1)  # noqa: DTZ001 - made aware in the line below
    return timezone.make_aware(start, timezone.get_current_timezone())


def month_starts(since: datetime, months: int = MONTHS) -> list[date]:
    first = timezone.localtime(since).date().replace(day=1)
    index = first.year * 12 + first.month - 1
    return [date((index + i) // 12, (index + i) % 12 + 1, 1) for i in range(months)]


def figures(now: datetime | None = None, months: int = MONTHS) -> Figures:
    now = now or timezone.now()
    since = period_start(now, months)
    shops = _shops(now, since)
    open_by_state = {state.value: sum(getattr(s, f"open_{state.value}") for s in shops) for state in OPEN_STATES}
    answered, median_first, closed, median_close, outcomes = _period(since, months)
    return Figures(
        now=now,
        since=since,
        open_by_state=open_by_state,
        overdue=sum(s.overdue for s in shops),
        shops=shops,
        answered=answered,
        median_first_answer=median_first,
        closed=closed,
        median_close=median_close,
        outcomes=outcomes,
        ehelp=_ehelp(since),
    )


# --- the queries --------------------------------------------------------------------------------------------


def escalated_ticket_ids(since: datetime | None = None) -> QuerySet:
    """Cases that were ever escalated to Level 1 (the timeline keeps that even after a return). A case opened
    after `since` was escalated after it too, so the index on the events' time narrows the search."""
    events = TicketEvent.objects.filter(transition="escalate_to_level1")
    if since is not None:
        events = events.filter(created_at__gte=since)
    return events.values("ticket_id")


def _shops(now: datetime, since: datetime) -> list[ShopFigures]:
    """Two queries: the counts per bookshop (one pass over the cases), and the bookshops' names."""
    in_period = Q(created_at__gte=since)
    rows = (
        Ticket.objects.filter(Q(state__in=OPEN_STATES) | in_period)  # every other case counts nowhere here
        .order_by()
        .values("bookshop_id")
        .annotate(
            open_bookshop=Count("pk", filter=Q(state=State.BOOKSHOP)),
            open_level1=Count("pk", filter=Q(state=State.LEVEL1)),
            open_level2=Count("pk", filter=Q(state=State.LEVEL2)),
            overdue=Count("pk", filter=Q(state__in=OPEN_STATES, answer_due_at__lt=now)),
            cases=Count("pk", filter=in_period),
            escalated=Count("pk", filter=in_period & Q(pk__in=escalated_ticket_ids(since))),
        )
    )
    counts = {row.pop("bookshop_id"): row for row in rows}
    shops = [
        ShopFigures(bookshop_id=pk, name=name, is_active=is_active, **counts.get(pk, {}))
        for pk, name, is_active in Bookshop.objects.order_by("name", "pk").values_list("pk", "name", "is_active")
    ]
    # Inactive shops without any case are of no interest here.
    return [shop for shop in shops if shop.is_active or shop.bookshop_id in counts]


def _duration(end: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(end) - F("created_at"), output_field=DurationField())


def _month_bounds(since: datetime, months: int) -> list[tuple[date, datetime, datetime]]:
    """(first day, start, end) of each month of the period, as aware datetimes in local time."""
    tz = timezone.get_current_timezone()
    firsts = month_starts(since, months + 1)
    aware = [timezone.make_aware(datetime(d.year, d.month, 1), tz) for d in firsts]  # noqa: DTZ001
    return [(firsts[i], aware[i], aware[i + 1]) for i in range(months)]


def _period(since: datetime, months: int) -> tuple[int, timedelta | None, int, timedelta | None, list[MonthOutcome]]:
    """One pass over the cases: time to first answer (cases opened in the period), time to close and outcomes
    per month (cases closed in the period). Other databases than PostgreSQL read each median in one more query."""
    answered_q = Q(created_at__gte=since, first_answer_at__isnull=False)
    closed_q = Q(state__in=CLOSED_STATES, closed_at__gte=since)
    bounds = _month_bounds(since, months)
    aggregates = {
        "answered": Count("pk", filter=answered_q),
        "closed": Count("pk", filter=closed_q),
        **{
            f"m{i}_{state}": Count("pk", filter=Q(state=state, closed_at__gte=start, closed_at__lt=end))
            for i, (_first, start, end) in enumerate(bounds)
            for state in OUTCOMES
        },
    }
    postgres = connection.vendor == "postgresql"
    if postgres:
        aggregates["median_first"] = Median(_duration("first_answer_at"), filter=answered_q,
                                            output_field=DurationField())
        aggregates["median_close"] = Median(_duration("closed_at"), filter=closed_q, output_field=DurationField())
    row = Ticket.objects.filter(Q(created_at__gte=since) | Q(closed_at__gte=since)).aggregate(**aggregates)
    if not postgres:
        row["median_first"] = _middle(Ticket.objects.filter(answered_q), "first_answer_at", row["answered"])
        row["median_close"] = _middle(Ticket.objects.filter(closed_q), "closed_at", row["closed"])
    outcomes = [
        MonthOutcome(month=first, **{state: row[f"m{i}_{state}"] for state in OUTCOMES})
        for i, (first, _start, _end) in enumerate(bounds)
    ]
    return row["answered"], row["median_first"], row["closed"], row["median_close"], outcomes


def _middle(tickets: QuerySet, end: str, count: int) -> timedelta | None:
    """Other databases: the median from the one or two middle rows of the sorted durations (one query)."""
    if not count:
        return None
    values = list(
        tickets.annotate(duration=_duration(end))
        .order_by("duration")
        .values_list("duration", flat=True)[(count - 1) // 2 : count // 2 + 1]
    )
    return sum(values, timedelta()) / len(values)


def _ehelp(since: datetime):
    """eHelp's deflection figures (one query), or None while the eHelp app offers none."""
    try:
        from ehelp.selectors import overview
    except ImportError:
        return None
    return overview(since=since)
