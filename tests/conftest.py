import pytest
from django.template.backends import jinja2 as jinja2_backend
from django.test.signals import template_rendered

from content import image_files


@pytest.fixture(autouse=True, scope="session")
def _record_jinja2_renders():
    """``response.context`` for the reader pages too.

    Django's test set-up reports each render of its own engine's templates to the test client;
    the reader pages are Jinja2 templates, so their renders are reported the same way.
    """
    original = jinja2_backend.Template.render

    def render(self, context=None, request=None):
        context = {} if context is None else context
        html = original(self, context, request)  # fills in request and context processors
        template_rendered.send(sender=self, template=self.template, context=context)
        return html

    jinja2_backend.Template.render = render
    yield
    jinja2_backend.Template.render = original


@pytest.fixture(params=["fast", "plain"])
def front_path(request, settings):
    """A fronts test on both paths of fronts/render.py: the backfill compiled for the generation
    and the chosen stories' prepared query, or the same queries built plain at each request
    (NEWSROOM_FRONT_FAST_PATH)."""
    settings.NEWSROOM_FRONT_FAST_PATH = request.param == "fast"
    return request.param


@pytest.fixture(autouse=True)
def _site_url(settings):
    """Absolute addresses come from NEWSROOM_SITE_URL: a name unlike the test client's shows it."""
    settings.NEWSROOM_SITE_URL = "https://news.example"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads made by a test land in a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    # Files still pending when the test's transaction was rolled back lived in that folder only.
    image_files.forget()


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Tests create many logins; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_cache(settings, tmp_path):
    """Each test gets an empty cache of the embedded kind (files shared by workers)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
