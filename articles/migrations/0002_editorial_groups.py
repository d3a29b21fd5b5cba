"""Create the Reporter and Editor groups (DESIGN.md §4).

Group permissions open the admin screens; what a reporter may do with a particular story (own drafts
only, no publishing) is enforced per object by ``articles.permissions``.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTER = {
    "articles": ["add_article", "change_article", "view_article", "view_section",
                 "add_byline", "change_byline", "delete_byline", "view_byline",
                 "view_relatedteaser", "view_correction"],
    "authors": ["view_author", "change_author"],
    "taggit": ["add_tag", "view_tag"],
}
EDITOR = {
    "articles": [f"{action}_{model}" for model in
                 ["article", "section", "byline", "relatedteaser", "correction"]
                 for action in ["add", "change", "delete", "view"]],
    "authors": [f"{action}_author" for action in ["add", "change", "delete", "view"]],
    "taggit": [f"{action}_tag" for action in ["add", "change", "delete", "view"]],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations have run; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in [("Reporter", REPORTER), ("Editor", EDITOR)]:
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codenames in grants.items():
            perms = Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
            missing = set(codenames) - set(perms.values_list("codename", flat=True))
            if missing:
                raise RuntimeError(f"Missing permissions for {name}: {sorted(missing)}")
            group.permissions.add(*perms)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Reporter", "Editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("authors", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
