"""The editorial groups of DESIGN.md §4 and the model permissions each one holds.

Group permissions open the admin screens; what a reporter may do with a particular story (own drafts
only, no publishing) is decided per object in ``articles.permissions``. The groups are brought up to
date after every ``migrate`` (and every test-database flush), so they always match this module.

The fronts (the home page's, the sections', the site-wide banner) are the desk's: editors hold
every permission on them, reporters none, since a front may show stories not yet public.

Live coverage's entries: both groups hold every permission on them; which story's entries a
reporter may post, edit or remove is decided per story in ``live.permissions``.
"""

from django.apps import apps as global_apps

STORY_MODELS = ["article", "section", "byline", "relatedteaser", "correction"]
FRONT_MODELS = ["front", "zone", "pick"]
CRUD = ["add", "change", "delete", "view"]

GROUP_PERMISSIONS = {
    "Reporter": {
        "articles": [
            "add_article", "change_article", "view_article", "view_section",
            "add_byline", "change_byline", "delete_byline", "view_byline",
            "view_relatedteaser", "view_correction", "view_placementevent",
        ],
        "authors": ["view_author", "change_author"],
        "taggit": ["add_tag", "view_tag"],
        # Entries on the live stories they carry the byline of (live.permissions decides which).
        "live": [f"{action}_entry" for action in CRUD],
    },
    "Editor": {
        "articles": [f"{action}_{model}" for model in STORY_MODELS for action in CRUD]
        + ["publish_article", "view_placementevent"],
        "authors": [f"{action}_author" for action in CRUD],
        "taggit": [f"{action}_tag" for action in CRUD],
        "fronts": [f"{action}_{model}" for model in FRONT_MODELS for action in CRUD],
        "live": [f"{action}_entry" for action in CRUD],
    },
}  # fmt: skip


def granted_apps():
    """The apps whose permissions the groups are given."""
    return {app_label for grants in GROUP_PERMISSIONS.values() for app_label in grants}


def sync_editorial_groups(apps=global_apps, **kwargs):
    """Create the groups if missing and grant what they lack; extra grants made by hand stay."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codenames in grants.items():
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )
