"""The project's prepared-query helpers (newsroom/prepared.py) that the fronts' backfill uses:
constants written into the SQL as literals, and the server-bound connection."""

import pytest
from django.db import connection

from articles.models import Article
from newsroom.prepared import PrepareError, bound, literal, write_in
from tests.factories import make_article


def test_a_literal_is_an_integer_or_a_standard_quoted_string():
    assert literal(42) == "42"
    assert literal("published") == "'published'"
    # Quotes doubled; percent signs doubled, as the cursors read the text as a format.
    assert literal("it's 100%") == "'it''s 100%%'"
    for value in (True, 1.5, None, b"x", "nul\x00"):
        with pytest.raises(PrepareError):
            literal(value)


def test_only_the_chosen_parameters_are_written_in_and_the_rest_keep_their_order():
    sql = "SELECT %s, '100%%' WHERE a = %s AND b = %s AND c = %s"
    written, params = write_in(sql, [1, "x", 2, "y"], lambda value: value == "x")
    assert written == "SELECT %s, '100%%' WHERE a = 'x' AND b = %s AND c = %s"
    assert params == (1, 2, "y")
    with pytest.raises(PrepareError):
        write_in("SELECT %s", [1, 2], lambda value: False)


@pytest.mark.django_db
def test_a_query_with_its_constants_written_in_finds_what_the_orm_finds():
    awkward = make_article(headline="It's 100% true")
    make_article(headline="Something else")
    query = Article.objects.filter(headline="It's 100% true", pk__gte=awkward.pk).values_list("pk")
    sql, params = query.query.get_compiler(connection=connection).as_sql()
    written, left = write_in(sql, params, lambda value: isinstance(value, str))
    assert "'It''s 100%% true'" in written and left == (awkward.pk,)
    with bound(connection).cursor() as cursor:
        cursor.execute(written, left)
        assert cursor.fetchall() == list(query) == [(awkward.pk,)]
