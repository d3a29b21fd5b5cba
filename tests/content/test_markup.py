"""The markup pipeline: hostile input is neutralised everywhere, ordinary Markdown renders well."""

import re
from pathlib import Path

import markdown
import pytest
from django.utils.html import escape

from articles.models import Article, RelatedTeaser, Section
from authors.models import Author
from content.markup import excerpt, render_markdown
from tests.factories import (
    make_article,
    make_author,
    make_correction,
    make_image,
    make_section,
    make_teaser,
)
from tests.htmltree import hostile_markup, parse, url_scheme

PAYLOADS = (
    (Path(__file__).resolve().parents[1] / "data" / "xss-payloads.txt")
    .read_text(encoding="utf-8")
    .splitlines()
)
PAYLOAD_PARAMS = [pytest.param(line, id=f"line{number}") for number, line in enumerate(PAYLOADS, 1)]

# What the project promises about text fields, written here independently of the code under test.
_SINGLE_LINE_CONTROLS = re.compile("[\x00-\x1f\x7f]")
_MULTI_LINE_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _single_line(value):
    return re.sub(r"\s+", " ", _SINGLE_LINE_CONTROLS.sub(" ", value)).strip()


def _multi_line(value):
    return _MULTI_LINE_CONTROLS.sub("", value)


def test_the_corpus_is_read_whole():
    assert len(PAYLOADS) > 300
    assert sum("\t" in line for line in PAYLOADS) >= 2
    assert all(line.strip() for line in PAYLOADS)


def test_the_checker_catches_what_it_must():
    """The safety checks below are only worth something if they can fail."""
    assert hostile_markup("<p>fine <a href='/x'>x</a> <a href='#fn:1'>1</a></p>") == []
    assert hostile_markup("<script>alert(1)</script>")
    assert hostile_markup("<p onclick='x()'>")
    assert hostile_markup("<p STYLE='color:red'>")
    assert hostile_markup("<svg></svg>")
    assert hostile_markup('<a href="jav&#x09;ascript:alert(1)">x</a>')
    assert hostile_markup('<a href=" &#14; javascript:alert(1)">x</a>')
    assert hostile_markup('<img src="data:image/svg+xml,x">')
    assert hostile_markup('<blockquote cite="vbscript:x">')
    assert url_scheme("JaVaScRiPt\n:alert(1)") == "javascript"
    assert url_scheme("/relative:path") == ""
    assert url_scheme("mailto:desk@example.org") == "mailto"


def test_without_the_sanitiser_most_of_the_corpus_would_get_through():
    """Proof that the corpus and the checker bite: plain Markdown lets most lines through."""
    unsafe = [line for line in PAYLOADS if hostile_markup(markdown.markdown(line))]

    assert len(unsafe) > len(PAYLOADS) // 2


@pytest.mark.parametrize("payload", PAYLOAD_PARAMS)
def test_render_markdown_neutralises_every_payload(payload):
    assert hostile_markup(render_markdown(payload)) == []


@pytest.mark.parametrize("payload", PAYLOAD_PARAMS)
def test_payload_inside_markdown_context_is_neutralised(payload):
    """The same lines inside a list, a quote, a link and a footnote, where Markdown rewrites them."""
    source = (
        f"# {payload}\n\n- {payload}\n\n> {payload}\n\n[{payload}]({payload})\n\n"
        f"Note[^a].\n\n[^a]: {payload}\n"
    )
    assert hostile_markup(render_markdown(source)) == []


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOAD_PARAMS)
def test_article_body_and_author_bio_save_path_neutralises_every_payload(payload):
    article = make_article(body=payload)
    author = make_author(bio=payload)

    stored_article = Article.objects.get(pk=article.pk)
    stored_author = Author.objects.get(pk=author.pk)
    assert stored_article.body == _multi_line(payload)
    assert hostile_markup(stored_article.body_html) == []
    assert hostile_markup(stored_author.bio_html) == []


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOAD_PARAMS)
def test_text_fields_store_payloads_literally_and_the_page_escapes_them(client, payload):
    def fit(model, name):
        return payload[: model._meta.get_field(name).max_length]

    article_fields = ["headline", "kicker", "hero_caption", "hero_credit", "hero_alt"]
    article_fields.append("seo_description")
    section = make_section(name=fit(Section, "name"))
    author = make_author(name=fit(Author, "name"), job_title=fit(Author, "job_title"), bio="")
    article = make_article(
        **{name: fit(Article, name) for name in article_fields},
        dek=fit(Article, "dek"),
        hero_image=make_image(),
        body="Plain body.",
        section=section,
        authors=[author],
    )
    make_correction(article=article, text=payload)
    teaser = make_teaser(
        article=article, target=make_article(), headline=fit(RelatedTeaser, "headline")
    )

    stored = {(Article, name): (article, name) for name in article_fields}
    stored[Section, "name"] = (section, "name")
    stored[Author, "name"] = (author, "name")
    stored[Author, "job_title"] = (author, "job_title")
    stored[RelatedTeaser, "headline"] = (teaser, "headline")
    for obj in (article, section, author, teaser):
        obj.refresh_from_db()
    for (model, name), (obj, attname) in stored.items():
        assert getattr(obj, attname) == _single_line(fit(model, name)), (model, name)
    assert article.dek == _multi_line(fit(Article, "dek"))

    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    shown = [getattr(obj, attname) for obj, attname in stored.values()]
    shown += [article.dek, _multi_line(payload)]
    for value in shown:
        assert escape(value) in content, value
        if "<" in value:
            assert value not in content, value
    page = parse(content)
    assert page.one("h1").clean_text == " ".join(article.headline.split())
    assert page.one("figure").one("img").attrs["alt"] == article.hero_alt


@pytest.mark.django_db
def test_c0_control_characters_are_stripped_from_single_line_fields():
    junk = "".join(chr(code) for code in range(32)) + "\x7f"
    article = make_article(
        headline=f"Harbour{junk}reopens",
        kicker=f"Live\x00{junk}",
        hero_caption="The quay\x0b at dawn\x1b",
        hero_credit="Photo:\x07 Ada",
        hero_alt="Boats\r\nin a row",
        seo_title="Harbour\u2028\x00reopens",
    )
    section = make_section(name=f"World\x00{junk}news")
    author = make_author(name="Ada\x1b[31m Reyes", job_title="Port\x00reporter")

    article = Article.objects.get(pk=article.pk)
    section.refresh_from_db()
    author.refresh_from_db()
    values = [
        article.headline,
        article.kicker,
        article.hero_caption,
        article.hero_credit,
        article.hero_alt,
        article.seo_title,
        section.name,
        author.name,
        author.job_title,
    ]
    for value in values:
        assert not re.search("[\x00-\x1f\x7f]", value), repr(value)
        assert value == value.strip()
    assert article.headline == "Harbour reopens"
    assert article.kicker == "Live"
    assert article.hero_alt == "Boats in a row"
    assert section.name == "World news"
    assert author.name == "Ada [31m Reyes"


@pytest.mark.django_db
def test_multi_line_fields_keep_line_breaks_and_tabs_but_drop_other_controls():
    article = make_article(dek="First line\r\nSecond\tline\x00\x08\x1b", body="One\x0c\n\nTwo\x00")
    author = make_author(bio="Bio\x07 text\n\nmore")

    article = Article.objects.get(pk=article.pk)
    author.refresh_from_db()
    assert article.dek == "First line\nSecond\tline"
    assert article.body == "One\n\nTwo"
    assert author.bio == "Bio text\n\nmore"


# Ordinary Markdown.


def test_headings_get_ids_and_the_headline_stays_the_only_h1():
    source = "# Harbour reopens\n\n## What happens next\n\n### Details\n\n<h1>Raw</h1>"
    page = parse(render_markdown(source))

    assert page.find("h1") is None
    assert page.one("h2", id="harbour-reopens").clean_text == "Harbour reopens"
    assert page.one("h2", id="what-happens-next").clean_text == "What happens next"
    assert page.one("h3", id="details").clean_text == "Details"
    assert [h.clean_text for h in page.find_all("h2")] == [
        "Harbour reopens",
        "What happens next",
        "Raw",
    ]


def test_lists_render():
    page = parse(render_markdown("- salt\n- pepper\n\n1. first\n2. second\n"))

    assert [li.clean_text for li in page.one("ul").find_all("li")] == ["salt", "pepper"]
    assert [li.clean_text for li in page.one("ol").find_all("li")] == ["first", "second"]


def test_tables_render():
    page = parse(render_markdown("| Port | Ships |\n|---|---:|\n| Dover | 12 |\n| Hull | 3 |\n"))

    table = page.one("table")
    assert [th.clean_text for th in table.find("thead").find_all("th")] == ["Port", "Ships"]
    rows = table.find("tbody").find_all("tr")
    assert [[td.clean_text for td in row.find_all("td")] for row in rows] == [
        ["Dover", "12"],
        ["Hull", "3"],
    ]
    assert all("style" not in td.attrs for td in table.find_all("td"))


def test_footnotes_render_with_working_anchors():
    page = parse(render_markdown("The figure was revised[^src].\n\n[^src]: Port authority data.\n"))

    ref = page.one("a", class_="footnote-ref")
    note = page.one("div", class_="footnote")
    target_id = ref.attrs["href"].removeprefix("#")
    assert note.one("li", id=target_id).clean_text.startswith("Port authority data.")
    back = note.one("a", class_="footnote-backref")
    assert page.one("sup", id=back.attrs["href"].removeprefix("#"))


def test_links_external_get_noopener_internal_and_mail_do_not():
    page = parse(
        render_markdown(
            "[Port](https://port.example/notice) [Section](/sections/world/) "
            "[Desk](mailto:desk@example.org) [Proto](//cdn.example/x)"
        )
    )
    links = {a.clean_text: a.attrs for a in page.find_all("a")}

    assert links["Port"] == {"href": "https://port.example/notice", "rel": "noopener"}
    assert links["Section"] == {"href": "/sections/world/"}
    assert links["Desk"] == {"href": "mailto:desk@example.org"}
    assert links["Proto"]["rel"] == "noopener"


def test_images_keep_safe_sources_and_alt_text():
    page = parse(render_markdown('![Boats at dawn](https://img.example/b.jpg "Dawn")'))

    img = page.one("img")
    assert img.attrs["src"] == "https://img.example/b.jpg"
    assert img.attrs["alt"] == "Boats at dawn"
    assert img.attrs["loading"] == "lazy"


def test_blockquotes_render():
    page = parse(render_markdown("> The harbour will reopen.\n> Said the mayor.\n"))

    assert page.one("blockquote").one("p").clean_text == "The harbour will reopen. Said the mayor."


def test_fenced_code_renders_as_pre_code_and_escapes_its_contents():
    page = parse(render_markdown('```python\nprint("<b>hi</b>")\n```\n'))

    code = page.one("pre").one("code")
    assert code.text == 'print("<b>hi</b>")\n'
    assert code.find("b") is None


def test_smart_quotes_dashes_and_ellipses():
    text = parse(render_markdown("\"Quoted\" and 'single' -- it's done...")).clean_text

    assert text == "“Quoted” and ‘single’ – it’s done…"


def test_emphasis_and_inline_code():
    page = parse(render_markdown("*soft* **strong** `code`"))

    assert page.one("em").text == "soft"
    assert page.one("strong").text == "strong"
    assert page.one("code").text == "code"


def test_a_quoted_social_post_survives_as_figure_blockquote_cite_figcaption():
    source = (
        "Before the post.\n\n"
        "<figure>\n"
        '<blockquote cite="https://social.example/@harbourmaster/1123">\n'
        "<p>The harbour reopens at 6am. Safe passage to all.</p>\n"
        "</blockquote>\n"
        '<figcaption>Harbourmaster, on <a href="https://social.example/@harbourmaster/1123">'
        "Social</a>, 14 March</figcaption>\n"
        "</figure>\n\n"
        "After the post.\n"
    )
    page = parse(render_markdown(source))

    figure = page.one("figure")
    quote = figure.one("blockquote")
    assert quote.attrs["cite"] == "https://social.example/@harbourmaster/1123"
    assert quote.one("p").clean_text == "The harbour reopens at 6am. Safe passage to all."
    caption = figure.one("figcaption")
    assert caption.clean_text == "Harbourmaster, on Social, 14 March"
    assert caption.one("a").attrs["rel"] == "noopener"


def test_unsafe_attributes_on_allowed_elements_are_dropped():
    source = '<blockquote cite="javascript:alert(1)" class="evil" id="x" style="color:red">q</blockquote>'
    quote = parse(render_markdown(source)).one("blockquote")

    assert quote.attrs == {}
    assert quote.clean_text == "q"


def test_empty_and_blank_sources_render_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
    assert render_markdown(" \n\t\n") == ""


@pytest.mark.django_db
def test_body_html_follows_body_on_every_save():
    article = make_article(body="First *draft*.")
    assert "<em>draft</em>" in article.body_html

    article.body = "Second **take**."
    article.save(update_fields=["body"])

    stored = Article.objects.get(pk=article.pk)
    assert "<strong>take</strong>" in stored.body_html
    assert "draft" not in stored.body_html
    assert stored.body_excerpt == "Second take."


@pytest.mark.django_db
def test_author_bio_renders_through_the_same_pipeline():
    author = make_author(bio="Covers *ports*. [Site](https://ada.example) <script>x()</script>")

    page = parse(Author.objects.get(pk=author.pk).bio_html)
    assert page.one("em").text == "ports"
    assert page.one("a").attrs == {"href": "https://ada.example", "rel": "noopener"}
    assert page.find("script") is None


# Excerpts.

SENTENCE = (
    "The harbour reopened on Friday morning, three weeks after the storm tore through the "
    "breakwater, and the first ferry left at dawn with forty passengers aboard."
)


@pytest.mark.parametrize("limit", range(12, len(SENTENCE)))
def test_excerpt_cuts_at_a_word_boundary_and_never_exceeds_the_limit(limit):
    cut = excerpt(SENTENCE, limit)

    assert len(cut) <= limit
    assert cut.endswith("…")
    stem = cut.removesuffix("…")
    assert SENTENCE.startswith(stem)
    assert SENTENCE[len(stem)] in " ,;:.-"
    assert stem[-1].isalnum()


def test_excerpt_leaves_short_text_alone_and_folds_white_space():
    assert excerpt("Short  and\n\tsweet.", 160) == "Short and sweet."
    assert excerpt(SENTENCE, len(SENTENCE)) == SENTENCE


def test_excerpt_of_one_long_word_is_cut_inside_it():
    cut = excerpt("x" * 500, 40)

    assert cut == "x" * 39 + "…"
    assert len(cut) == 40


def test_excerpt_of_nothing_is_empty():
    assert excerpt("") == ""
    assert excerpt(None) == ""
