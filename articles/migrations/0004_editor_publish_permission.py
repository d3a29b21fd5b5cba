"""Give the Editor group the desk permission: publish, schedule, withdraw, edit any story."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        content_type__app_label="articles", codename="publish_article"
    )
    Group.objects.get(name="Editor").permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(
        content_type__app_label="articles", codename="publish_article"
    ).first()
    if permission:
        Group.objects.get(name="Editor").permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_workflow_fields_and_redirects")]

    operations = [migrations.RunPython(grant, revoke)]
