"""When must the holder of a case answer? In business hours: the target (e.g. 8 business hours = one business
day) is counted only while the business is open (BusinessHours, in Swiss local time), never on a public
holiday.

tickets.services calls `answer_due_at` whenever the clock starts for a holder: at case creation, when the case
moves to a new holder, and when the customer replies. While the case waits on the customer, services set
`answer_due_at` to None: the clock pauses, and no one is reminded."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from .models import DEFAULT_TARGET_HOURS, BookshopResponseTarget, BusinessHours, PublicHoliday, ResponseTarget

# Used while no BusinessHours rows exist (e.g. before the data migration ran): Monday to Friday.
DEFAULT_HOURS = [(weekday, time(8, 0), time(12, 0)) for weekday in range(5)] + [
    (weekday, time(13, 30), time(17, 30)) for weekday in range(5)
]
MAX_DAYS = 400


def target_hours(holder: str, bookshop_id: int | None) -> Decimal:
    if holder == "bookshop" and bookshop_id is not None:
        own = (
            BookshopResponseTarget.objects.filter(bookshop_id=bookshop_id)
            .values_list("hours", flat=True)
            .first()
        )
        if own is not None:
            return own
    found = ResponseTarget.objects.filter(holder=holder).values_list("hours", flat=True).first()
    return found if found is not None else DEFAULT_TARGET_HOURS


def _zone() -> ZoneInfo:
    return ZoneInfo(getattr(settings, "TIMELIMITS_TIME_ZONE", settings.TIME_ZONE))


def _hours_by_weekday() -> dict[int, list[tuple[time, time]]]:
    rows = list(BusinessHours.objects.values_list("weekday", "opens", "closes")) or DEFAULT_HOURS
    table: dict[int, list[tuple[time, time]]] = {}
    for weekday, opens, closes in sorted(rows):
        table.setdefault(weekday, []).append((opens, closes))
    return table


def holidays_from(day: date) -> set[date]:
    return set(
        PublicHoliday.objects.filter(date__gte=day, date__lte=day + timedelta(days=MAX_DAYS)).values_list(
            "date", flat=True
        )
    )


def add_business_time(start: datetime, duration: timedelta) -> datetime:
    """`start` plus `duration` counted in business hours only (skipping nights, weekends and holidays)."""
    zone = _zone()
    cursor = timezone.localtime(start, zone) if timezone.is_aware(start) else start.replace(tzinfo=zone)
    remaining = duration
    table = _hours_by_weekday()
    holidays = holidays_from(cursor.date())
    day = cursor.date()
    for _offset in range(MAX_DAYS):
        if day not in holidays:
            for opens, closes in table.get(day.weekday(), []):
                # Aware times per day: a DST change moves the wall clock, not the business hours.
                begin = datetime.combine(day, opens, tzinfo=zone)
                end = datetime.combine(day, closes, tzinfo=zone)
                if cursor >= end:
                    continue
                begin = max(begin, cursor)
                available = end - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        day += timedelta(days=1)
    # No business hours configured at all: fall back to plain time rather than never.
    return start + duration


def business_time_between(start: datetime, end: datetime) -> timedelta:
    """How much business time lies between two moments (for showing how overdue a case is)."""
    if end <= start:
        return timedelta(0)
    zone = _zone()
    start, end = timezone.localtime(start, zone), timezone.localtime(end, zone)
    table = _hours_by_weekday()
    holidays = holidays_from(start.date())
    total = timedelta(0)
    day = start.date()
    while day <= end.date() and (day - start.date()).days < MAX_DAYS:
        if day not in holidays:
            for opens, closes in table.get(day.weekday(), []):
                begin = max(datetime.combine(day, opens, tzinfo=zone), start)
                finish = min(datetime.combine(day, closes, tzinfo=zone), end)
                if finish > begin:
                    total += finish - begin
        day += timedelta(days=1)
    return total


def answer_due_at(holder: str, bookshop_id: int | None, start: datetime) -> datetime:
    """`holder` is the case's state while it waits for an answer: "bookshop", "level1" or "level2"."""
    hours = target_hours(holder, bookshop_id)
    due = add_business_time(start, timedelta(hours=float(hours)))
    return due.astimezone(ZoneInfo("UTC")) if timezone.is_aware(due) else due
