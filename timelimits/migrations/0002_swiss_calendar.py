"""Default calendar: Swiss business hours (Mon-Fri 08:00-12:00 and 13:30-17:30), the public holidays of the
canton of Bern for 2026 and 2027, the response targets (bookshop and Level 1: one business day, Level 2: two),
and the right of Support Level 1 and 2 to see the list of overdue cases. All of it is editable in the admin."""

from datetime import date, time
from decimal import Decimal

from django.contrib.auth.management import create_permissions
from django.db import migrations

HOURS = [(weekday, time(8, 0), time(12, 0)) for weekday in range(5)] + [
    (weekday, time(13, 30), time(17, 30)) for weekday in range(5)
]
HOLIDAYS = [
    (date(2026, 1, 1), "Neujahr"),
    (date(2026, 1, 2), "Berchtoldstag"),
    (date(2026, 4, 3), "Karfreitag"),
    (date(2026, 4, 6), "Ostermontag"),
    (date(2026, 5, 14), "Auffahrt"),
    (date(2026, 5, 25), "Pfingstmontag"),
    (date(2026, 8, 1), "Bundesfeier"),
    (date(2026, 12, 25), "Weihnachten"),
    (date(2026, 12, 26), "Stephanstag"),
    (date(2027, 1, 1), "Neujahr"),
    (date(2027, 1, 2), "Berchtoldstag"),
    (date(2027, 3, 26), "Karfreitag"),
    (date(2027, 3, 29), "Ostermontag"),
    (date(2027, 5, 6), "Auffahrt"),
    (date(2027, 5, 17), "Pfingstmontag"),
    (date(2027, 8, 1), "Bundesfeier"),
    (date(2027, 12, 25), "Weihnachten"),
    (date(2027, 12, 26), "Stephanstag"),
]
TARGETS = [("bookshop", Decimal("8")), ("level1", Decimal("8")), ("level2", Decimal("16"))]
GROUPS = ["Support Level 1", "Support Level 2"]


def load(apps, schema_editor):
    BusinessHours = apps.get_model("timelimits", "BusinessHours")
    PublicHoliday = apps.get_model("timelimits", "PublicHoliday")
    ResponseTarget = apps.get_model("timelimits", "ResponseTarget")
    if not BusinessHours.objects.exists():
        BusinessHours.objects.bulk_create(
            [BusinessHours(weekday=weekday, opens=opens, closes=closes) for weekday, opens, closes in HOURS]
        )
    for day, name in HOLIDAYS:
        PublicHoliday.objects.get_or_create(date=day, defaults={"name": name})
    for holder, hours in TARGETS:
        ResponseTarget.objects.get_or_create(holder=holder, defaults={"hours": hours})

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="timelimits", codename="view_overduecase")
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(permission)


def unload(apps, schema_editor):
    apps.get_model("timelimits", "PublicHoliday").objects.filter(date__in=[day for day, _ in HOLIDAYS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("timelimits", "0001_initial"),
        ("tickets", "0002_support_groups"),
    ]

    operations = [migrations.RunPython(load, unload)]
