"""The groups "Support Level 1" and "Support Level 2" with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

COMMON = [
    ("tickets", "view_ticket"),
    ("tickets", "change_ticket"),  # assignment; the state itself changes only through the services
    ("tickets", "view_bookshop"),
    ("tickets", "view_refund"),
    ("tickets", "view_ticketevent"),
    ("mail", "view_outboundmessage"),
]
GROUPS = {
    "Support Level 1": COMMON + [("tickets", "act_as_level1")],
    "Support Level 2": COMMON + [("tickets", "act_as_level2")],
}


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in perms:
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0001_initial"),
        ("mail", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
