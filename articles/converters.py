"""Path converters shared by every urlconf that routes articles, tags or their feeds."""

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


# Registered here, once, so the order in which urlconfs load does not matter.
register_converter(TwoDigitConverter, "dd")
register_converter(UnicodeSlugConverter, "uslug")
