"""The Jinja2 environment for the reader pages.

Reader pages are rendered by Jinja2, the admin and the XML documents by Django's engine. Jinja2
compiles a template to Python once, so the story page spends a fraction of the time Django's
engine spent walking its nodes, variable look-ups and includes. What the reader templates used
from Django's engine is provided here under the same names: ``url`` and ``static``, the ``date``
filter in the site's time zone. The apps add their own helpers (the SEO helpers of
``articles.templatetags.seo``, say) from ``AppConfig.ready()`` with ``register_globals`` and
``register_filters``: the project imports no app.
"""

import contextvars
import functools
import html
import itertools
import operator
from datetime import datetime

import jinja2
from django.conf import settings
from django.templatetags.static import static
from django.utils import dateformat, timezone, translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from .reversing import reverse

# Helpers the apps registered; read when the environment is made, after every app is ready.
_globals = {}
_filters = {}


def register_globals(**helpers):
    _globals.update(helpers)


def register_filters(**filters):
    _filters.update(filters)


def url(viewname, *args):
    return reverse(viewname, args=args)


# The time zone and the language a page is drawn in, taken once as its render starts: asking
# Django for each (thread- and task-local values) cost more than formatting a date from the
# process's answers, and a list page formats two dates for each teaser. A render changes neither.
_drawn_in = contextvars.ContextVar("drawn_in", default=None)


def _zone_and_language():
    return timezone.get_current_timezone(), translation.get_language()


class Template(jinja2.Template):
    """A reader template: its render draws every date in the time zone and the language current
    when the render starts (``date``)."""

    def render(self, *args, **kwargs):
        token = _drawn_in.set(_zone_and_language())
        try:
            return super().render(*args, **kwargs)
        finally:
            _drawn_in.reset(token)


def date(value, format_string):
    """Django's ``date`` filter: the value in the site's time zone, formatted; '' for none."""
    if not value:
        return ""
    return _formatted(value, format_string, *(_drawn_in.get() or _zone_and_language()))


# Django's dateformat takes about 20 µs a moment, and a list page formats two for each teaser:
# the same few hundred stories' times, page after page. Each process keeps its latest answers.
@functools.lru_cache(maxsize=4096)
def _formatted(value, format_string, zone, language):
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value, zone)
    return dateformat.format(value, format_string)


def iso_datetime(value):
    """The machine-readable form for ``<time datetime>`` and Open Graph."""
    return date(value, "Y-m-d\\TH:i:sO")


def groupby_in_order(items, attribute):
    """Runs of items sharing an attribute, as (value, items) pairs, in the order given.

    Django's ``{% regroup %}``; Jinja2's own ``groupby`` sorts first, which needs orderable values.
    """
    return [
        (key, list(group))
        for key, group in itertools.groupby(items, key=operator.attrgetter(attribute))
    ]


def now(format_string):
    return dateformat.format(timezone.localtime(), format_string)


def escape_like_django(value):
    """Every value a reader template prints is escaped by Django's own ``escape``.

    Jinja2 escapes what it prints with MarkupSafe, which writes quotes as ``&#34;`` and ``&#39;``;
    escaping here first (the result is marked safe, so Jinja2 leaves it alone) gives the reader
    pages the same escaped text as the admin, the feeds and the rest of the site. Strings already
    marked safe (Django's or Jinja2's) pass through unchanged.

    A plain string, by far the most printed value (a list page prints a few hundred), is escaped
    here as Django's ``escape`` does it (``html.escape``) without the lazy-string check of its
    ``keep_lazy`` wrapper, which cost more than the escaping.
    """
    if type(value) is str:
        return SafeString(html.escape(value))
    return conditional_escape(value)


def environment(**options):
    options.pop("autoescape", None)
    env = jinja2.Environment(autoescape=True, finalize=escape_like_django, **options)
    env.template_class = Template
    env.globals.update(
        LANGUAGE_CODE=settings.LANGUAGE_CODE,
        url=url,
        static=static,
        now=now,
        **_globals,
    )
    env.filters.update(
        date=date,
        iso_datetime=iso_datetime,
        groupby_in_order=groupby_in_order,
        **_filters,
    )
    return env
