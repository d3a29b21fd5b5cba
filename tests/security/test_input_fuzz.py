"""Bad input is a 4xx or a form error, never a 5xx: every public query parameter and every admin
form field, sent NUL characters, 10,000-character values, values of the wrong type, and nothing.

Nothing here is a hand-written list of fields. The public URLs come from the URLconf (a URL with
arguments needs a row in ``PUBLIC_PATHS``, or ``test_every_public_url_is_walked`` fails); the query
parameters are those each view reads, found by asking it; the admin targets are the
registered ModelAdmins' add forms and the change forms of one object of each model, as a
superuser and as an editor see them; the fields, buttons and autocomplete widgets are read from
each rendered form, so a field or button added later is fuzzed without a change here. Hypothesis
draws the values, derandomised and with a small budget, so a run is the same on every machine.

SQLite takes a NUL inside a text parameter; PostgreSQL refuses it (a DataError, so a 500). The
fuzzed requests run with PostgreSQL's rule on either database, so a NUL that reaches a query
fails here too. PostgreSQL's other limit, the length of a ``varchar``, shows only on PostgreSQL,
where CI runs this module as well.
"""

from types import SimpleNamespace
from urllib.parse import parse_qsl, urljoin

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.http import QueryDict
from django.test import Client, RequestFactory
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.views.static import serve
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from articles import preview
from live import presentation as live_presentation
from live.models import Entry
from tests.articles.admin.admin_world import build_admin_world, form_data
from tests.factories import make_editor, make_entry, make_live_story, make_reporter, make_section
from tests.htmltree import parse
from tests.security.strict_db import postgresql_rules

# Hypothesis drives every public address and admin form: minutes, not seconds.
pytestmark = pytest.mark.slow

# Read by no view: a page must not trip over a parameter meant for someone else.
STRANGER = "utm_source"
# Each kind of bad value; "missing" is the parameter or field left out.
# A NUL inside a value that is otherwise well formed (a URL passes a URL field's own check).
NUL = st.builds(
    lambda a, b: f"{a}\x00{b}",
    st.sampled_from(["https://example.com/", "", "harbour", "2026-01-01", "1"]),
    st.text(max_size=6),
)
LONG = st.text(st.characters(categories=("L", "N")), min_size=1, max_size=3).map(
    lambda s: (s * 10_000)[:10_000]
)
WRONG_TYPE = st.one_of(
    st.sampled_from(
        [
            "abc",
            "-1",
            "0",
            "1.5",
            "1e999",
            "NaN",
            "[]",
            "{}",
            "true",
            "²",
            "٣",
            "1.99999999999999999999",
        ]
        + ["2026-13-45", "25:61:61", "../", "%", " ", "-"]
    ),
    st.integers(-(2**70), 2**70).map(str),
)
FAMILIES = {"NUL": NUL, "long": LONG, "wrong type": WRONG_TYPE}

FUZZ = settings(
    max_examples=1,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _slug_path(name, slug):
    return lambda world: reverse(name, args=[slug(world)])


def _section(world):
    return world.section.slug


def _tag(world):
    return world.tag.slug


def _author(world):
    return world.author.slug


def _live(world):
    """A story running live coverage with two entries, made the first time a path asks."""
    if not hasattr(world, "live_coverage"):
        world.live_coverage = make_live_story(headline="Live world", section=world.section)
        world.live_entry = make_entry(article=world.live_coverage, by=world.reporter)
        make_entry(article=world.live_coverage, by=world.reporter)
    return world.live_coverage


def _live_feed(kind):
    return lambda world: live_presentation.feed_path(_live(world), kind)


# The public URLs that take arguments, each with real objects of the world.
PUBLIC_PATHS = {
    "articles:detail": lambda world: world.live.get_absolute_url(),
    "articles:section": _slug_path("articles:section", _section),
    "articles:tag": _slug_path("articles:tag", _tag),
    "articles:preview": _slug_path(
        "articles:preview", lambda world: preview.make_token(world.draft)
    ),
    "authors:detail": _slug_path("authors:detail", _author),
    "api:article": _slug_path("api:article", lambda world: world.live.pk),
    "fronts_api:front": _slug_path("fronts_api:front", lambda world: "home"),
    "sitemap_stories": _slug_path("sitemap_stories", lambda world: world.live.publish_at),
    "sitemap_section": _slug_path("sitemap_section", lambda world: "tags"),
    "feeds:section_rss": _slug_path("feeds:section_rss", _section),
    "feeds:section_atom": _slug_path("feeds:section_atom", _section),
    "feeds:tag_rss": _slug_path("feeds:tag_rss", _tag),
    "feeds:tag_atom": _slug_path("feeds:tag_atom", _tag),
    "feeds:author_rss": _slug_path("feeds:author_rss", _author),
    "feeds:author_atom": _slug_path("feeds:author_atom", _author),
    "live:entry": lambda world: _live(world) and live_presentation.permalink_path(world.live_entry),
    "live:entries_rss": _live_feed("rss"),
    "live:entries_atom": _live_feed("atom"),
    "live:updates": lambda world: live_presentation.updates_path(_live(world)),
}
# Addresses walked besides one per URL name: the same view drawing another kind of page.
MORE_PATHS = {
    # A live coverage story's page reads its stream's cursor (?before=).
    "articles:detail (live coverage)": lambda world: _live(world).get_absolute_url(),
}


def public_patterns(patterns=None, namespace=""):
    """``(name, pattern)`` for every URL outside the admin."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == admin.site.name:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from public_patterns(entry.url_patterns, inner)
        elif entry.callback is not serve:
            # (Django's file server for uploads is added when the URLconf is first imported
            # with DEBUG on, as test collection may do; it is no page of the site.)
            yield f"{namespace}{entry.name}", entry


def public_paths(world):
    paths = {}
    for name, pattern in public_patterns():
        takes_arguments = pattern.pattern.regex.groups > 0
        paths[name] = PUBLIC_PATHS[name](world) if takes_arguments else reverse(name)
    return paths | {name: path(world) for name, path in MORE_PATHS.items()}


class RecordingQuery(QueryDict):
    """An empty query string that remembers every key a view asks it about."""

    def __init__(self):
        super().__init__(mutable=True)
        self.asked = set()

    def __getitem__(self, key):
        self.asked.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.asked.add(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        self.asked.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self.asked.add(key)
        return super().getlist(key, default)


def parameters_read(path):
    """The query parameters the view at ``path`` (and its templates) reads, found by asking it."""
    request = RequestFactory().get(path)
    request.GET, request.user = RecordingQuery(), AnonymousUser()
    match = resolve(path)
    match.func(request, *match.args, **match.kwargs)
    return request.GET.asked


@pytest.fixture
def world(db):
    cast = SimpleNamespace(
        reporter=make_reporter(username="rita"),
        other_reporter=make_reporter(username="otto"),
        editor=make_editor(username="edna"),
        section=make_section(name="World"),
    )
    return build_admin_world(cast)


def client_for(user=None):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


class Failures(list):
    def check(self, what, response, allowed):
        if response.status_code not in allowed:
            self.append(f"{response.status_code} for {what}")


def test_every_public_url_is_walked(world):
    with_arguments = {
        name for name, pattern in public_patterns() if pattern.pattern.regex.groups > 0
    }
    assert sorted(with_arguments) == sorted(PUBLIC_PATHS)
    assert len(public_paths(world)) > 20


def test_the_walk_finds_the_query_parameters_views_read(world):
    paths = public_paths(world)
    assert {"before", "after"} <= parameters_read(paths["articles:section"])
    assert {"q", "page"} <= parameters_read(paths["articles:search"])
    assert {"page"} <= parameters_read(paths["articles:detail"])  # the canonical address
    assert {"before"} <= parameters_read(paths["articles:detail (live coverage)"])
    api = {"section", "tag", "author", "limit", "cursor"}
    assert api <= parameters_read(paths["api:articles"])
    assert {"at"} <= parameters_read(paths["fronts_api:front"])
    assert {"after"} <= parameters_read(paths["live:updates"])


@FUZZ
@given(draw=st.data())
def test_public_query_parameters_never_make_a_5xx(world, draw):
    client, failures = client_for(), Failures()
    with postgresql_rules():
        for name, path in public_paths(world).items():
            failures.check(f"{name} {path}", client.get(path), {200, 301, 302, 404})
            for key in sorted(parameters_read(path) | {STRANGER}):
                for family, values in FAMILIES.items():
                    value = draw.draw(values, label=f"{name} ?{key} {family}")
                    response = client.get(path, {key: value})
                    failures.check(f"{path}?{key}={describe(value)}", response, range(500))
    assert not failures, "\n".join(failures)


# The admin: every form, every field, every button.


def admin_targets(world):
    """``(what, url)``: each registered model's add form, and its change form for one object."""
    objects = {type(world.live): [world.live, world.draft]}
    for model in admin.site._registry:
        if model is Entry:
            # The live desk is a screen of its own: its post box, and an entry's edit form.
            yield "live desk", reverse("admin:live_entry_desk", args=[world.live_story.pk])
            yield "live entry", reverse("admin:live_entry_edit", args=[world.live_entry.pk])
            continue
        info = model._meta.app_label, model._meta.model_name
        yield f"add {model._meta.label}", reverse("admin:{}_{}_add".format(*info))
        for obj in objects.get(model) or model._default_manager.order_by("pk")[:1]:
            url = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
            yield f"change {model._meta.label} {obj.pk}", url


def submit_buttons(page, form_id, url):
    """``(name, target)`` of each submit button of the form (``None``: one without a name).

    None at all: the form only shows the object (a view-only ModelAdmin)."""
    buttons = set()
    for element in parse(page).iter():
        kind = element.attrs.get("type", "submit" if element.tag == "button" else "")
        if element.tag not in {"input", "button"} or kind != "submit":
            continue
        inside = any(a.tag == "form" and a.attrs.get("id") == form_id for a in element.ancestors())
        if element.attrs.get("form", form_id if inside else None) != form_id:
            continue
        target = urljoin(url, element.attrs.get("formaction") or url)
        buttons.add((element.attrs.get("name"), target))
    return sorted(buttons, key=lambda button: (button[0] or "", button[1]))


def autocomplete_queries(page):
    """The query strings of the autocomplete widgets on the page, as the widget's script sends them."""
    for element in parse(page).iter():
        if "data-field-name" in element.attrs and "data-model-name" in element.attrs:
            yield {
                "term": "",
                "app_label": element.attrs["data-app-label"],
                "model_name": element.attrs["data-model-name"],
                "field_name": element.attrs["data-field-name"],
            }


def changelist_queries(page):
    """Every parameter name the change list's own links use (search, filters, order, page)."""
    keys = {"q", "p", "o"}
    for element in parse(page).find_all("a"):
        href = element.attrs.get("href", "")
        if href.startswith("?"):
            keys |= {key for key, _ in parse_qsl(href[1:], keep_blank_values=True)}
    return sorted(keys)


def post(client, url, data):
    with transaction.atomic():
        response = client.post(url, data)
        transaction.set_rollback(True)
    return response


MISSING = object()


def _refused(name, refused):
    # A split date/time field "publish_at" is posted as publish_at_0 and publish_at_1.
    base, _, part = name.rpartition("_")
    return name in refused or (part.isdigit() and base in refused)


def refused_fields(response):
    """The posted names the re-rendered admin form marks as wrong, and whether it also shows an
    error tied to no single field (the form's own checks, a formset's management data)."""
    context = response.context
    adminform = context.get("adminform") if context is not None else None
    # A screen of its own (the live desk) shows its form as ``form``.
    form = adminform.form if adminform is not None else context and context.get("form")
    if form is None or not hasattr(form, "errors"):
        return set(), True
    forms, unattributed = [form], False
    for inline in context.get("inline_admin_formsets", []):
        forms += inline.formset.forms
        unattributed |= bool(inline.formset.non_form_errors())
    refused = set()
    for form in forms:
        for name in form.errors:
            if name == NON_FIELD_ERRORS:
                unattributed = True
            else:
                refused.add(form.add_prefix(name))
    return refused, unattributed


def _halves(current):
    names = list(current)
    half = len(names) // 2
    return [{k: current[k] for k in names[:half]}, {k: current[k] for k in names[half:]}]


def narrow(client, url, data, mutated, what, failures):
    """POST the form with every value of ``mutated`` at once, then again without those the form
    refuses (halving when it cannot say which), until what is left is taken or one field remains.
    A 5xx is halved down to the values that cause it.

    Every bad value the form accepts so reaches a real save, together, in a handful of POSTs
    instead of one per field.
    """
    pending, budget, hunt = [mutated], 12, 32
    while pending and budget and hunt:
        current = pending.pop()
        sent = {key: value for key, value in {**data, **current}.items() if value is not MISSING}
        response = post(client, url, sent)
        if response.status_code not in {200, 302}:
            hunt -= 1
            if len(current) > 1:
                pending += _halves(current)
            else:
                shown = ", ".join(f"{key}={describe(value)}" for key, value in current.items())
                failures.append(f"{response.status_code} for {what}: {shown}")
            continue
        budget -= 1
        if response.status_code == 302:
            continue
        refused, unattributed = refused_fields(response)
        rest = {key: value for key, value in current.items() if not _refused(key, refused)}
        if len(rest) < len(current):
            pending.append(rest)
        elif unattributed and len(current) > 1:
            pending += _halves(current)


def describe(value):
    if value is MISSING:
        return "(missing)"
    return repr(value if len(value) < 40 else f"{value[:20]}…({len(value)} characters)")


def fuzz_form(client, draw, what, url, failures):
    response = client.get(url)
    if response.status_code != 200:
        return  # not this actor's form: the permission matrix covers the refusal
    page = response.content.decode()
    forms = [form.attrs.get("id", "") for form in parse(page).find_all("form")]
    form_id = next((name for name in forms if name.endswith("_form")), None)
    if form_id is None:
        return
    buttons = submit_buttons(page, form_id, url)
    if not buttons:
        return
    # The test client skips the CSRF check, so its token is no field to fuzz.
    data = form_data(page, form_id)
    data.pop("csrfmiddlewaretoken", None)
    if not data:
        return
    for button, target in dict.fromkeys([(None, url), *buttons]):
        press = {button: "1"} if button else {}
        allowed = {200, 302} if target == url else range(500)
        failures.check(
            f"{what}: {button or 'save'}", post(client, target, {**data, **press}), allowed
        )
        # A crafted POST of the form's first field alone: every other field missing at once.
        first = next(iter(data))
        response = post(client, target, {first: data[first], **press})
        failures.check(f"{what}: {button or 'save'} with {first} alone", response, allowed)
    # Each field gets each kind of bad value once over three rounds, and is left out in a fourth.
    kinds = list(FAMILIES)
    for round_ in range(len(kinds)):
        mutated = {}
        for position, name in enumerate(data):
            kind = kinds[(round_ + position) % len(kinds)]
            mutated[name] = draw.draw(FAMILIES[kind], label=f"{what} {name} {kind}")
        narrow(client, url, data, mutated, what, failures)
    narrow(client, url, data, dict.fromkeys(data, MISSING), what, failures)


@FUZZ
@given(draw=st.data())
@pytest.mark.parametrize("actor", ["superuser", "editor"])
def test_admin_forms_never_make_a_5xx(world, actor, draw):
    client, failures = client_for(getattr(world, actor)), Failures()
    with postgresql_rules():
        for what, url in admin_targets(world):
            fuzz_form(client, draw, what, url, failures)
    assert not failures, "\n".join(failures)


def fuzz_query(client, draw, url, base, keys, failures):
    for key in keys:
        for family, values in FAMILIES.items():
            value = draw.draw(values, label=f"{url} ?{key} {family}")
            response = client.get(url, {**base, key: value})
            failures.check(f"{url}?{key}={describe(value)} with {base}", response, range(500))


@FUZZ
@given(draw=st.data())
def test_admin_lists_and_autocompletes_never_make_a_5xx(world, draw):
    """The search, filters, order and page of every change list, and every autocomplete widget's
    lookups, as the superuser (who sees every list) sends them."""
    client, failures = client_for(world.superuser), Failures()
    autocompletes = set()
    with postgresql_rules():
        for model in admin.site._registry:
            changelist = reverse(
                f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
            )
            page = client.get(changelist).content.decode()
            fuzz_query(client, draw, changelist, {}, changelist_queries(page), failures)
        for _, url in admin_targets(world):
            page = client.get(url).content.decode()
            autocompletes |= {tuple(sorted(query.items())) for query in autocomplete_queries(page)}
        for query in sorted(autocompletes):
            query = dict(query)
            fuzz_query(client, draw, reverse("admin:autocomplete"), query, sorted(query), failures)
    assert not failures, "\n".join(failures)
