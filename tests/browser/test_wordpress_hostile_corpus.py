"""The hostile corpus imported from an export, in a real browser: no dialog opens and no
script of theirs runs on the imported stories' pages, their authors', sections' and tags', nor on
the stories' admin pages with their WordPress origin (the policy bypassed, as in
test_hostile_corpus_browser.py, whose instruments these are). Here, beside the other browser tests,
so that the live server answers one request at a time (conftest.py)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, Section
from authors.models import Author
from tests.browser.test_hostile_corpus_browser import assert_no_script_runs
from tests.wordpress.test_hostile import hostile_export

pytestmark = pytest.mark.browser


def test_an_imported_hostile_corpus_runs_no_script(
    live_server, browser, transactional_db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    export = tmp_path / "hostile.xml"
    hostile_export().write(export)
    call_command("import_wordpress", str(export), "--no-progress", stdout=io.StringIO())

    articles = list(Article.objects.all())
    reader_paths = [reverse("articles:home")]
    reader_paths += [article.get_absolute_url() for article in articles]
    reader_paths += [section.get_absolute_url() for section in Section.objects.all()[::5]]
    reader_paths += [author.get_absolute_url() for author in Author.objects.all()[::5]]
    reader_paths += [reverse("articles:tag", args=[tag.slug]) for tag in Tag.objects.all()[::5]]
    admin_paths = [
        reverse("admin:articles_article_change", args=[article.pk]) for article in articles[::5]
    ]

    assert_no_script_runs(browser, live_server, reader_paths + admin_paths)
