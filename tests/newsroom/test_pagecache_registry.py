"""An app plugs its public content into the page cache by registering it; nothing in the project
package names it."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection, models
from django.test.utils import isolate_apps
from django.utils import timezone

from newsroom import pagecache
from tests.cache_checks import hit
from tests.factories import make_article

HOME = "/"


@pytest.fixture
def notice_model(transactional_db):
    """A public model of a new app, with its table, registered as its AppConfig.ready() would."""
    with isolate_apps("newsroom.apps.NewsroomConfig"):

        class Notice(models.Model):
            text = models.CharField(max_length=100)

            class Meta:
                app_label = "newsroom"

            def __str__(self):
                return self.text

    # Outside a transaction: SQLite's schema editor refuses to run inside one.
    with connection.schema_editor() as editor:
        editor.create_model(Notice)
    pagecache.register_public_model(Notice)
    yield Notice
    pagecache.unregister_public_model(Notice)
    with connection.schema_editor() as editor:
        editor.delete_model(Notice)


def test_the_public_models_are_registered_by_their_apps():
    assert {model._meta.label for model in pagecache.public_models()} == {
        "articles.Article",
        "articles.Byline",
        "articles.RelatedTeaser",
        "articles.Correction",
        "articles.Section",
        "articles.TaggedArticle",
        "authors.Author",
        "taggit.Tag",
        # The fronts: what their zones show, and the banner above every page.
        "fronts.Front",
        "fronts.Zone",
        "fronts.Pick",
        # Live coverage's entries, on their story's page, its feed and its listings.
        "live.Entry",
        # Old archive addresses of an import from WordPress (a 301 to a section or tag page).
        "wordpress.ArchiveRedirect",
    }


def test_saving_a_newly_registered_public_model_starts_a_new_generation(client, notice_model):
    make_article(headline="Harbour reopens")
    assert not hit(client.get(HOME))
    assert hit(client.get(HOME))
    notice = notice_model.objects.create(text="Roadworks on the quay")
    assert not hit(client.get(HOME))
    assert hit(client.get(HOME))
    notice.delete()
    assert not hit(client.get(HOME))


def test_an_unregistered_model_leaves_the_cache_alone(client, notice_model):
    pagecache.unregister_public_model(notice_model)
    make_article(headline="Harbour reopens")
    client.get(HOME)
    notice_model.objects.create(text="Roadworks on the quay")
    assert hit(client.get(HOME))
    pagecache.register_public_model(notice_model)


def test_a_registered_next_change_provider_cuts_the_page_lifetime(client, db, settings):
    settings.NEWSROOM_HTTP_MAX_AGE = 300
    make_article(headline="Harbour reopens")
    moment = timezone.now() + timedelta(seconds=90)

    def tide_table(at):
        return [moment if moment > at else None, None]

    pagecache.register_schedule(tide_table)
    try:
        first = client.get(HOME)
        max_age = int(first["Cache-Control"].partition("max-age=")[2].partition(",")[0])
        assert 85 <= max_age <= 90
        with time_machine.travel(moment - timedelta(seconds=2), tick=False):
            assert hit(client.get(HOME))
        with time_machine.travel(moment, tick=False):
            assert not hit(client.get(HOME))
    finally:
        pagecache.unregister_schedule(tide_table)


@pytest.mark.django_db(transaction=True)
def test_one_generation_for_a_bulk_job(monkeypatch):
    started = []
    monkeypatch.setattr(pagecache, "new_generation", lambda: started.append(1))
    with pagecache.one_generation():
        make_article(headline="One")
        make_article(headline="Two")
        with pagecache.one_generation():
            make_article(headline="Three")
        assert started == []
    assert started == [1]
    with pagecache.one_generation():
        pass
    assert started == [1]
    make_article(headline="Four")
    assert len(started) > 1
