"""Bodies built to make the Markdown parser work hard are saved through the admin form, or refused
by the length cap with a form error; never a crash. Timings are in bench/RELIABILITY.md."""

import pytest
from django.urls import reverse

from articles.models import BODY_MAX_LENGTH, Article
from content import markup
from content.markup import render_markdown
from tests.articles.admin.admin_data import article_form_data

# Bodies that run into the render deadline, each saved through the admin form.
pytestmark = pytest.mark.slow

PATHOLOGICAL = {
    "8,000 [": "[" * 8000,
    "8,000 ![": "![" * 8000,
    "4,000 [ then 4,000 ]": "[" * 4000 + "]" * 4000,
    "8,000 [a]( with no closing parenthesis": "[a](" * 8000,
    "40,000 unclosed <div>": "<div>" * 40_000,
    "lists nested 400 deep": "".join("  " * depth + "- item\n" for depth in range(400)),
    "lists nested 1,000 deep (over the cap)": "".join("  " * d + "- x\n" for d in range(1000)),
    "quotes nested 5,000 deep": ">" * 5000 + " quoted",
    "quote lines nested to 400": "".join(">" * depth + " x\n" for depth in range(1, 400)),
    "200,000 *": "*" * 200_000,
    "200,000 _": "_" * 200_000,
    "200,001 * (over the cap)": "*" * 200_001,
    # Quadratic in Python-Markdown: these reach the render deadline and are kept as text.
    "*a × 100,000": "*a" * 100_000,
    "*_ × 100,000": "*_" * 100_000,
    "a* × 100,000": "a*" * 100_000,
    "**a × 66,000": "**a" * 66_000,
    "`a × 100,000": "`a" * 100_000,
    "<a × 66,000": "<a " * 66_000,
    "&a × 100,000": "&a" * 100_000,
    "one-letter paragraphs × 66,000": "a\n\n" * 66_000,
    "# h lines × 50,000": "# h\n" * 50_000,
    "<b> then 24,000 comments": "<b>" + "<!-- -->" * 24_000,
}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_pathological_body_is_saved_or_refused_through_the_form(admin_client, name):
    body = PATHOLOGICAL[name]
    response = admin_client.post(
        reverse("admin:articles_article_add"),
        article_form_data(headline="Stress test", slug="stress-test", body=body),
    )
    if len(body) > BODY_MAX_LENGTH:
        assert response.status_code == 200
        assert "Ensure this value has at most 200000 characters" in response.content.decode()
        assert not Article.objects.exists()
    else:
        assert response.status_code == 302, response.content.decode()[:2000]
        article = Article.objects.get(slug="stress-test")
        assert article.body == body.strip()


def test_unclosed_brackets_stay_visible_text():
    html = render_markdown("[" * 5000 + " and a [real link](https://example.com/)")
    assert html.count("[") == 5000
    assert '<a href="https://example.com/" rel="noopener">real link</a>' in html


def test_few_brackets_are_left_exactly_as_written():
    source = "A [link](https://example.com/) and an unclosed [ bracket, `code [`"
    assert "\\[" not in render_markdown(source)
    assert "<code>code [</code>" in render_markdown(source)


def test_stack_exhausting_nesting_keeps_the_text():
    html = render_markdown("".join("  " * depth + "- x\n" for depth in range(500)))
    assert html.startswith("<pre>")
    assert html.count("- x") == 500


def test_unclosed_link_parentheses_stay_text_and_real_links_still_work():
    html = render_markdown("[a](" * 3000 + " then [a real one](https://example.com/x)")
    assert html.count("[a](") == 3000
    assert '<a href="https://example.com/x" rel="noopener">a real one</a>' in html


def test_markup_nested_past_the_cap_is_kept_as_text():
    html = render_markdown("<div>" * 40_000 + "deep")
    assert html.startswith("<pre>&lt;div&gt;")
    assert "deep" in html


def test_ordinary_nesting_still_renders():
    html = render_markdown("<div><div><p>Inside</p></div></div>\n\n> > quoted twice")
    assert "<pre>" not in html
    assert "<p>Inside</p>" in html
    assert html.count("<blockquote>") == 2


def test_a_long_real_story_renders_in_the_child_like_in_the_process():
    paragraph = (
        "The council's **budget committee** met to weigh the [harbour plan](https://example.com/p). "
        '"We cannot keep patching the quay," said the chair.\n\n> A post quoted from a resident.\n\n'
    )
    body = paragraph * (markup.RENDER_IN_CHILD_ABOVE // len(paragraph) + 20)
    assert len(body) > markup.RENDER_IN_CHILD_ABOVE
    html = render_markdown(body)
    assert html == markup._render(markup.clean_text(body))
    assert html.count("<strong>budget committee</strong>") == body.count("**budget committee**")


def test_a_body_past_the_deadline_is_kept_as_escaped_text(monkeypatch, caplog):
    monkeypatch.setattr(markup, "RENDER_DEADLINE_SECONDS", 0.001)
    body = "<script>alert(1)</script> *a" * 2000
    html = render_markdown(body)
    assert html.startswith("<pre>&lt;script&gt;alert(1)&lt;/script&gt; *a")
    assert "<script" not in html
    assert "took too long to render" in caplog.text


def test_a_quadratic_body_is_saved_whole_and_shown_as_text(admin_client):
    body = "*a" * 100_000
    response = admin_client.post(
        reverse("admin:articles_article_add"),
        article_form_data(headline="Stress test", slug="stress-test", body=body),
    )
    assert response.status_code == 302
    article = Article.objects.get(slug="stress-test")
    assert article.body == body
    assert article.body_html == f"<pre>{body}</pre>"


@pytest.mark.parametrize("body", ["<http://[^1]>", "<div><![^1]</div>", "[x](http://[::1)"])
def test_malformed_hosts_and_declarations_are_saved_not_a_500(admin_client, body):
    response = admin_client.post(
        reverse("admin:articles_article_add"),
        article_form_data(headline="Odd markup", slug="odd-markup", body=body),
    )
    assert response.status_code == 302
    assert "<script" not in Article.objects.get(slug="odd-markup").body_html
