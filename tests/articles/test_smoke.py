from tests.factories import make_article


def test_live_story_renders(client, db):
    article = make_article(headline="Harbour reopens")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert b"Harbour reopens" in response.content
