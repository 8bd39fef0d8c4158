"""Support Level 1 and 2 may read eHelp content and its figures (which articles help, how many cases eHelp
prevented); editing stays with administrators."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = [("ehelp", "view_article"), ("ehelp", "view_informationsource")]
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
        content_type__app_label="ehelp", codename__in=[codename for _app, codename in PERMISSIONS]
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("ehelp", "0001_initial"),
        ("tickets", "0002_support_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
