"""After an import, every old WordPress address answers 301 to the page that replaced it."""

from datetime import UTC, timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import ArticleRedirect
from wordpress.models import ArchiveRedirect

from .conftest import story
from .wxr_files import SITE, Export, Post, attachment

pytestmark = pytest.mark.django_db

CATEGORIES = [(3, "news", "", "News"), (4, "politics", "news", "Politics")]
TAGS = [(7, "budget", "Budget")]


def export(*items, site=SITE):
    return Export(
        site=site,
        authors=[("jane", "Jane Doe", "", "")],
        categories=CATEGORIES,
        tags=TAGS,
        items=list(items),
    )


def follow(client, address):
    """The old address answers 301; where it points answers 200."""
    response = client.get(address)
    assert response.status_code == 301, (address, response.status_code)
    target = response["Location"]
    assert client.get(target).status_code == 200, target
    return target


PERMALINKS = [
    ("day and name", f"{SITE}/2019/01/02/old-day-name/", "/2019/01/02/old-day-name/"),
    ("month and name", f"{SITE}/2019/01/old-month-name/", "/2019/01/old-month-name/"),
    ("post name", f"{SITE}/plain-name/", "/plain-name/"),
    ("numeric", f"{SITE}/archives/123", "/archives/123"),
    ("custom with category", f"{SITE}/news/politics/a-story.html", "/news/politics/a-story.html"),
    (
        "non-ASCII",
        f"{SITE}/2019/01/%d0%bf%d1%80%d0%b8%d0%b2%d0%b5%d1%82/",
        "/2019/01/%d0%bf%d1%80%d0%b8%d0%b2%d0%b5%d1%82/",
    ),
]


@pytest.mark.parametrize(("structure", "link", "path"), PERMALINKS, ids=[p[0] for p in PERMALINKS])
def test_old_permalinks_answer_301_to_a_live_story(client, run_import, structure, link, path):
    run_import(export(Post(123, slug="new-slug", link=link)))
    article = story(123)
    assert follow(client, path) == article.get_absolute_url()


def test_a_permalink_of_the_same_shape_as_the_new_address(client, run_import):
    # WordPress's day-and-name structure at the same date and slug: nothing to redirect.
    run_import(
        export(
            Post(1, slug="same", date_gmt="2019-01-02 10:00:00", link=f"{SITE}/2019/01/02/same/")
        )
    )
    article = story(1)
    assert article.get_absolute_url() == "/2019/01/02/same/"
    assert client.get("/2019/01/02/same/").status_code == 200
    assert not ArticleRedirect.objects.filter(old_path="/2019/01/02/same/").exists()


def test_query_addresses_of_posts_and_attachments(client, run_import):
    posts = [
        Post(5, slug="with-picture"),
        attachment(6, "2020/05/pic.jpg", parent=5),
    ]
    run_import(export(*posts))
    url = story(5).get_absolute_url()
    # The home page in the page cache does not stand in for an old address.
    assert client.get("/").status_code == 200
    assert follow(client, "/?p=5") == url
    assert follow(client, "/?p=5&utm_source=newsletter") == url
    assert follow(client, "/?attachment_id=6") == url
    # The attachment's own page.
    assert follow(client, "/2020/05/post-5/pic/") == url
    # Another number is the home page, as before.
    assert client.get("/?p=999").status_code == 200
    assert client.get("/?p=abc").status_code == 200
    assert follow(client, "/?p=005") == url
    # Digits by the thousand, other scripts' digits: nothing, and no error.
    assert client.get("/?p=" + "9" * 10_000).status_code == 200
    assert client.get("/?p=٥").status_code == 200
    assert follow(client, "/?p=" + "0" * 10_000 + "5") == url


def test_a_site_in_a_folder(client, run_import):
    run_import(
        export(Post(5, link="https://old.example/blog/2019/05/x/"), site="https://old.example/blog")
    )
    url = story(5).get_absolute_url()
    assert follow(client, "/blog/?p=5") == url
    assert follow(client, "/blog/2019/05/x/") == url


def test_category_and_tag_archives_answer_301_to_section_and_tag_pages(client, run_import):
    posts = [
        Post(
            1,
            terms=[
                ("category", "politics", "Politics"),
                ("category", "news", "News"),
                ("post_tag", "budget", "Budget"),
            ],
        ),
    ]
    output = run_import(export(*posts))
    article = story(1)
    assert follow(client, "/category/news/politics/") == article.section.get_absolute_url()
    assert follow(client, "/category/politics/") == "/sections/politics/"
    assert follow(client, "/?cat=4") == "/sections/politics/"
    # A second category is a tag.
    assert follow(client, "/category/news/") == "/tags/news/"
    assert follow(client, "/tag/budget/") == "/tags/budget/"
    assert follow(client, "/?tag=budget") == "/tags/budget/"
    assert follow(client, "/tag/budget") == "/tags/budget/"
    assert "section archives" in output and "tag archives" in output


def test_unknown_addresses_stay_404(client, run_import):
    run_import(export(Post(1)))
    assert client.get("/no/such/page/").status_code == 404
    assert client.get("/category/nothing/").status_code == 404


def test_drafts_and_private_posts_leave_no_open_address(client, run_import):
    run_import(
        export(
            Post(1, status="draft", link=f"{SITE}/?p=1"), Post(2, status="private", slug="secret")
        )
    )
    assert client.get("/?p=1").status_code == 200  # the home page, not the draft
    assert client.get("/2020/05/secret/").status_code == 404
    assert client.get("/?p=2").status_code == 200
    assert not ArticleRedirect.objects.exists()


def test_a_scheduled_post_answers_once_it_is_live(client, run_import):
    when = (timezone.now() + timedelta(days=2)).astimezone(UTC).replace(microsecond=0)
    stamp = when.strftime("%Y-%m-%d %H:%M:%S")
    post = Post(1, status="future", date_gmt=stamp, date=stamp, slug="later", link=f"{SITE}/later/")
    run_import(export(post))
    assert client.get("/later/").status_code == 404
    with time_machine.travel(when + timedelta(minutes=1)):
        assert follow(client, "/later/") == story(1).get_absolute_url()


def test_archive_redirects_are_a_public_model_of_the_page_cache():
    from newsroom import pagecache

    assert ArchiveRedirect in pagecache.public_models()


def test_redirects_are_not_cached_as_pages(client, run_import):
    run_import(export(Post(5)))
    first = client.get("/?p=5")
    second = client.get("/?p=5")
    assert first.status_code == second.status_code == 301
    assert "X-Page-Cache" not in second


def test_a_page_that_reads_the_parameter_keeps_it(
    client, run_import, django_assert_max_num_queries
):
    from articles.models import Article

    run_import(export(Post(2)))
    month = story(2).publish_at.strftime("%Y-%m")
    # The story sitemap's ?p= is its own page number, not an old post address.
    response = client.get(f"/sitemap-stories-{month}.xml?p=2")
    assert response.status_code in (200, 404)
    assert response.status_code != 301
    assert Article.objects.count() == 1


def test_an_old_address_no_request_can_have_is_not_kept(client, run_import):
    long = "/" + "x" * 400 + "/"
    run_import(export(Post(1, link=f"{SITE}/bad%00path/"), Post(2, link=f"{SITE}{long}")))
    assert story(1).is_live() and story(2).is_live()
    paths = set(ArticleRedirect.objects.values_list("old_path", flat=True))
    assert paths == {"/?p=1", "/?p=2"}
