"""The answer clock counts Swiss business hours only: nights, weekends and public holidays do not count."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from timelimits.clock import add_business_time, answer_due_at, business_time_between
from timelimits.models import BookshopResponseTarget, BusinessHours, PublicHoliday, ResponseTarget

pytestmark = pytest.mark.django_db
ZURICH = ZoneInfo("Europe/Zurich")


def at(*args):
    return datetime(*args, tzinfo=ZURICH)


def test_one_business_day_for_the_bookshop_by_default(bookshop):
    assert answer_due_at("bookshop", bookshop.pk, at(2026, 6, 9, 10, 0)) == at(2026, 6, 10, 10, 0)  # Tue -> Wed


def test_a_friday_afternoon_case_is_due_on_monday_afternoon(bookshop):
    assert answer_due_at("bookshop", bookshop.pk, at(2026, 6, 12, 16, 0)) == at(2026, 6, 15, 16, 0)


def test_a_case_from_the_weekend_starts_counting_on_monday_morning(bookshop):
    assert answer_due_at("bookshop", bookshop.pk, at(2026, 6, 13, 11, 0)) == at(2026, 6, 15, 17, 30)


def test_a_case_at_night_starts_counting_at_opening_time(bookshop):
    assert answer_due_at("bookshop", bookshop.pk, at(2026, 6, 9, 22, 0)) == at(2026, 6, 10, 17, 30)


def test_the_lunch_break_does_not_count(bookshop):
    assert add_business_time(at(2026, 6, 9, 11, 0), timedelta(hours=2)) == at(2026, 6, 9, 14, 30)


def test_a_public_holiday_is_skipped(bookshop):
    # Wednesday before Ascension (Auffahrt, Thursday 14 May 2026): due on Friday.
    assert answer_due_at("bookshop", bookshop.pk, at(2026, 5, 13, 10, 0)) == at(2026, 5, 15, 10, 0)


def test_holidays_are_editable(bookshop):
    PublicHoliday.objects.create(date=datetime(2026, 6, 10).date(), name="Betriebsausflug")
    assert answer_due_at("bookshop", bookshop.pk, at(2026, 6, 9, 10, 0)) == at(2026, 6, 11, 10, 0)


def test_targets_per_bookshop_and_per_level(bookshop, other_bookshop):
    BookshopResponseTarget.objects.create(bookshop=bookshop, hours=Decimal("4"))
    start = at(2026, 6, 9, 8, 0)
    assert answer_due_at("bookshop", bookshop.pk, start) == at(2026, 6, 9, 12, 0)
    assert answer_due_at("bookshop", other_bookshop.pk, start) == at(2026, 6, 9, 17, 30)
    assert answer_due_at("level2", bookshop.pk, start) == at(2026, 6, 10, 17, 30)  # two business days
    ResponseTarget.objects.filter(holder="level1").update(hours=Decimal("1"))
    assert answer_due_at("level1", bookshop.pk, start) == at(2026, 6, 9, 9, 0)


def test_business_hours_are_configurable(bookshop):
    BusinessHours.objects.all().delete()
    BusinessHours.objects.create(weekday=5, opens=time(9, 0), closes=time(17, 0))  # Saturdays only
    assert answer_due_at("bookshop", bookshop.pk, at(2026, 6, 9, 10, 0)) == at(2026, 6, 13, 17, 0)


def test_daylight_saving_change_is_respected(bookshop):
    # Clocks go forward in the night to Sunday 29 March 2026; Friday 16:00 + 8 h = Monday 16:00 local time.
    due = answer_due_at("bookshop", bookshop.pk, at(2026, 3, 27, 16, 0))
    assert due == at(2026, 3, 30, 16, 0)


def test_business_time_between_counts_only_open_hours():
    assert business_time_between(at(2026, 6, 12, 17, 0), at(2026, 6, 15, 9, 0)).total_seconds() == 1.5 * 3600


def easter(year: int) -> date:
    """Easter Sunday (anonymous Gregorian algorithm), to check the data migration independently."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * l_) // 433
    month = (h + l_ - 7 * m + 90) // 25
    return date(year, month, (h + l_ - 7 * m + 33 * month + 19) % 32)


def test_the_loaded_bern_holidays_are_right():
    for year in (2026, 2027):
        days = set(PublicHoliday.objects.filter(date__year=year).values_list("date", flat=True))
        e = easter(year)
        expected = {datetime(year, 1, 1).date(), datetime(year, 1, 2).date(), e - timedelta(days=2),
                    e + timedelta(days=1), e + timedelta(days=39), e + timedelta(days=50),
                    datetime(year, 8, 1).date(), datetime(year, 12, 25).date(), datetime(year, 12, 26).date()}
        assert days == expected
