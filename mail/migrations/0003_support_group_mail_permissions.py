"""Support Level 1 and 2 review inbound mail (assign, process, dismiss) and resend outgoing mail."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = [
    ("mail", "change_outboundmessage"),
    ("mail", "view_inboundmessage"),
    ("mail", "change_inboundmessage"),
    ("mail", "view_deliveryevent"),
]
GROUPS = ["Support Level 1", "Support Level 2"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in PERMISSIONS:
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="mail", codename__in=[codename for _app, codename in PERMISSIONS]
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("mail", "0002_inbound_and_delivery_events"),
        ("tickets", "0002_support_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
