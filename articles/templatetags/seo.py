"""Tags for what a page tells machines: canonical address, JSON-LD, highlighted search snippets."""

from django import template
from django.utils.safestring import mark_safe

from content.markup import highlight as highlight_marked
from newsroom import addresses

from .. import structured_data
from ..pagination import whole_number

register = template.Library()


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's absolute address; of the query string only a page number above 1 is kept."""
    request = context.get("request")
    if request is None:
        return ""
    page = whole_number(request.GET.get("page", ""), at_most=99_999)
    suffix = f"?page={page}" if page and page > 1 else ""
    return addresses.absolute_url(request.path) + suffix


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    return addresses.absolute_url(path)


@register.simple_tag(takes_context=True)
def json_ld(context, kind, obj=None, extra=None):
    """A ``<script type="application/ld+json">`` element built by ``articles.structured_data``."""
    builder = structured_data.BUILDERS[kind]
    return structured_data.script(builder(context["request"], obj, extra))


@register.filter
def highlight(text):
    # markup.highlight escapes everything and adds only <mark> elements.
    return mark_safe(highlight_marked(text))  # noqa: S308
