"""What the reader pages' Jinja2 environment provides in place of Django's template tags."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.template import engines

from newsroom import templating
from newsroom.templating import date, groupby_in_order, iso_datetime


@pytest.fixture
def jinja():
    return engines["jinja2"]


def test_date_is_shown_in_the_site_time_zone(settings):
    settings.TIME_ZONE = "Europe/London"
    summer = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    assert date(summer, "j F Y, H:i T") == "2 July 2026, 00:30 BST"
    assert iso_datetime(summer) == "2026-07-02T00:30:00+0100"
    assert date(None, "j F Y") == ""


def test_a_date_kept_from_an_earlier_page_follows_the_time_zone_and_the_language(settings):
    from django.utils import translation

    moment = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    settings.TIME_ZONE = "Europe/London"
    assert date(moment, "j F Y, H:i") == "2 July 2026, 00:30"
    settings.TIME_ZONE = "America/New_York"
    assert date(moment, "j F Y, H:i") == "1 July 2026, 19:30"
    with translation.override("fr"):
        assert date(moment, "j F Y, H:i") == "1 juillet 2026, 19:30"
    assert date(moment, "j F Y, H:i") == "1 July 2026, 19:30"


def test_groups_keep_the_order_given_and_do_not_sort():
    rows = [
        SimpleNamespace(section=s, n=n) for n, s in enumerate(["world", "world", "arts", "sport"])
    ]
    groups = groupby_in_order(rows, "section")
    assert [(key, [row.n for row in items]) for key, items in groups] == [
        ("world", [0, 1]),
        ("arts", [2]),
        ("sport", [3]),
    ]


def test_output_is_escaped_as_django_escapes_and_safe_strings_are_not(jinja):
    from django.utils.safestring import mark_safe

    template = jinja.from_string("{{ text }}|{{ html }}|{{ none }}|{{ n }}|{{ attr }}")
    context = {"text": '<b>"x"</b>', "html": mark_safe("<i>y</i>"), "none": None, "n": 7}
    rendered = template.render({**context, "attr": "it's"})
    assert rendered == "&lt;b&gt;&quot;x&quot;&lt;/b&gt;|<i>y</i>|None|7|it&#x27;s"


def test_reader_templates_are_jinja2_and_the_admin_is_not():
    from django.template.loader import get_template

    assert get_template("articles/article_detail.html").backend.name == "jinja2"
    assert get_template("admin/index.html").backend.name == "django"


def test_an_app_adds_template_helpers_by_registering_them(monkeypatch):
    monkeypatch.setattr(templating, "_globals", dict(templating._globals))
    monkeypatch.setattr(templating, "_filters", dict(templating._filters))
    templating.register_globals(tide=lambda: "high water")
    templating.register_filters(shout=str.upper)
    env = templating.environment()
    assert env.from_string("{{ tide() }}, {{ 'quay'|shout }}").render() == "high water, QUAY"
    # The SEO helpers come the same way, from the articles app's ready().
    assert {"canonical_url", "absolute_url", "json_ld"} <= env.globals.keys()
    assert "highlight" in env.filters


def test_a_render_draws_its_dates_in_the_zone_and_language_current_as_it_starts(jinja, settings):
    from django.utils import timezone, translation

    settings.TIME_ZONE = "Europe/London"
    moment = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    template = jinja.from_string('{{ d|date("j F Y, H:i") }}|{{ d|iso_datetime }}')
    with translation.override("fr"), timezone.override("America/New_York"):
        assert template.render({"d": moment}) == "1 juillet 2026, 19:30|2026-07-01T19:30:00-0400"
    # The next render takes its own: nothing of the last one's is kept.
    assert template.render({"d": moment}) == "2 July 2026, 00:30|2026-07-02T00:30:00+0100"
    # Outside any render a date asks Django, as before.
    with translation.override("fr"):
        assert date(moment, "j F Y") == "2 juillet 2026"


def test_a_render_asks_for_the_language_once_whatever_its_dates(jinja, monkeypatch):
    from django.utils import translation

    asked = []
    real = translation.get_language
    monkeypatch.setattr(translation, "get_language", lambda: asked.append(1) or real())
    moments = [datetime(2026, 7, day, 12, 0, tzinfo=UTC) for day in range(1, 6)]
    html = jinja.from_string('{% for d in ds %}{{ d|date("j M") }};{% endfor %}').render(
        {"ds": moments}
    )
    assert html == "1 Jul;2 Jul;3 Jul;4 Jul;5 Jul;"
    assert len(asked) == 1
