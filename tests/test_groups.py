from django.contrib.auth.models import Group


def test_migrations_create_reporter_and_editor_groups(db):
    reporter = set(
        Group.objects.get(name="Reporter").permissions.values_list("codename", flat=True)
    )
    editor = set(Group.objects.get(name="Editor").permissions.values_list("codename", flat=True))
    assert {"add_article", "change_article"} <= reporter
    assert not reporter & {"delete_article", "add_relatedteaser", "add_correction", "add_section"}
    assert {"delete_article", "add_relatedteaser", "add_correction", "change_section"} <= editor
