"""The kept answers of reverse() are Django's answers, for the prefix and URLconf in force."""

import ast
from pathlib import Path

import pytest
from django.urls import clear_script_prefix, set_script_prefix
from django.urls import reverse as django_reverse

from newsroom.reversing import reverse


@pytest.mark.parametrize(
    ("name", "args", "kwargs"),
    [
        ("articles:home", (), None),
        ("articles:tag", ("harbour-strike",), None),
        ("articles:section", (), {"slug": "world"}),
        ("authors:detail", (), {"slug": "nadia-okafor"}),
        (
            "articles:detail",
            (),
            {"year": 2026, "month": 11, "day": 27, "slug": "dockworkers-walk-out"},
        ),
    ],
)
def test_answers_are_djangos(name, args, kwargs):
    assert reverse(name, args=args, kwargs=kwargs) == django_reverse(name, args=args, kwargs=kwargs)
    # Asked again, the kept answer is the same.
    assert reverse(name, args=args, kwargs=kwargs) == django_reverse(name, args=args, kwargs=kwargs)


def test_a_script_prefix_is_part_of_the_answer():
    assert reverse("articles:home") == "/"
    set_script_prefix("/news/")
    try:
        assert reverse("articles:home") == "/news/"
        assert reverse("articles:tag", args=["harbour"]) == django_reverse(
            "articles:tag", args=["harbour"]
        )
    finally:
        clear_script_prefix()
    assert reverse("articles:home") == "/"


def test_a_swapped_urlconf_is_not_answered_from_the_old_one(settings):
    assert reverse("articles:home") == "/"
    settings.ROOT_URLCONF = "tests.newsroom.prefixed_urls"
    assert reverse("articles:home") == "/edition/"


def test_an_unknown_name_still_raises():
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse("articles:no-such-page")


def test_the_project_asks_for_addresses_through_the_kept_reverse_only():
    """One reverse(): newsroom.reversing wraps Django's, and every other module uses it."""
    root = Path(__file__).resolve().parents[2]
    wrapper = root / "newsroom" / "reversing.py"
    users = []
    for package in ("newsroom", "articles", "authors", "bench"):
        for source in (root / package).rglob("*.py"):
            if source == wrapper or "migrations" in source.parts:
                continue
            for node in ast.walk(ast.parse(source.read_text(), str(source))):
                if (
                    isinstance(node, ast.ImportFrom)
                    and node.module == "django.urls"
                    and any(alias.name in {"reverse", "reverse_lazy"} for alias in node.names)
                ):
                    users.append(str(source.relative_to(root)))
    assert users == []
