from django.contrib.auth.models import Group


def test_migrations_create_reporter_and_editor_groups(db):
    reporter = set(
        Group.objects.get(name="Reporter").permissions.values_list("codename", flat=True)
    )
    editor = set(Group.objects.get(name="Editor").permissions.values_list("codename", flat=True))
    assert {"add_article", "change_article"} <= reporter
    assert not reporter & {"delete_article", "add_relatedteaser", "add_correction", "add_section"}
    assert {"delete_article", "add_relatedteaser", "add_correction", "change_section"} <= editor


def test_groups_come_back_after_a_flush(transactional_db):
    from django.core.management import call_command

    Group.objects.all().delete()
    call_command("flush", verbosity=0, interactive=False)

    editor = Group.objects.get(name="Editor")
    assert editor.permissions.filter(codename="publish_article").exists()
    assert Group.objects.filter(name="Reporter").exists()
