"""Path converters shared by every urlconf that routes articles, tags or their feeds."""

from datetime import date

from django.urls import register_converter


class TwoDigitConverter:
    regex = "[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


class UnicodeSlugConverter:
    # Tag slugs keep letters outside ASCII (taggit's default), e.g. "zürich".
    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class MonthConverter:
    """A calendar month as ``YYYY-MM``, e.g. ``2026-01``; the view receives its first day."""

    regex = "[0-9]{4}-[0-9]{2}"

    def to_python(self, value):
        # date() refuses month 13 and year 0 with a ValueError, which makes the URL a 404.
        year, month = value.split("-")
        return date(int(year), int(month), 1)

    def to_url(self, value):
        return f"{value.year:04d}-{value.month:02d}"


# Registered here, once, so the order in which urlconfs load does not matter.
register_converter(TwoDigitConverter, "dd")
register_converter(UnicodeSlugConverter, "uslug")
register_converter(MonthConverter, "month")
