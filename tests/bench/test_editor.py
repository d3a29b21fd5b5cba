"""The load script's editor (bench/common.py) must save what a browser would: a story it rewrites
keeps every field it did not touch, so `make load` can tell a lost save from its own mistake."""

from django.urls import reverse

from articles.models import Article, Correction
from bench.common import _form_values
from tests.factories import make_article, make_author, make_editor, make_section


def test_form_values_send_the_change_form_back_unchanged_but_for_the_edit(client, db):
    editor = make_editor(username="desk")
    story = make_article(
        headline="Harbour reopens",
        kicker="Shipping",
        dek="Cranes back at work.",
        body="First paragraph.\n\nSecond paragraph.",
        section=make_section(name="Business"),
        tags=["ports", "strikes"],
        authors=[make_author(name="Ada Quay")],
        seo_title="Harbour reopens after strike",
        hero_caption="The north quay at dawn.",
        is_featured=True,
    )
    Correction.objects.create(article=story, text="An earlier version misnamed the quay.")
    client.force_login(editor)
    path = reverse("admin:articles_article_change", args=[story.pk])

    data = _form_values(client.get(path).content.decode())
    data.update(headline="Harbour reopens fully", change_kind="silent", _continue="1")
    response = client.post(path, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    story = Article.objects.get(pk=story.pk)
    assert story.headline == "Harbour reopens fully"
    assert (story.kicker, story.dek, story.seo_title) == (
        "Shipping",
        "Cranes back at work.",
        "Harbour reopens after strike",
    )
    assert story.body == "First paragraph.\n\nSecond paragraph."
    assert story.hero_caption == "The north quay at dawn."
    assert story.is_featured
    assert story.is_live()
    assert sorted(story.tags.names()) == ["ports", "strikes"]
    assert [b.author.name for b in story.bylines.all()] == ["Ada Quay"]
    assert story.corrections.count() == 1
