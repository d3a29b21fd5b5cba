"""Newsroom settings: one module, every difference between environments an environment variable.

DJANGO_ENV=production (the Dockerfile and gunicorn.conf.py default to it) turns on the production
checks: no development secret key, explicit allowed hosts, secure cookies and HSTS.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from newsroom.storage_settings import media_origins, media_storage

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ENVIRONMENT = os.environ.get("DJANGO_ENV", "development").strip().lower()
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = False if PRODUCTION else env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if PRODUCTION:
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters in production."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS must list the site's host names in production."
        )
else:
    SECRET_KEY = SECRET_KEY or "development-only-key-not-for-production-use-0123456789abcdef"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "newsroom.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "taggit",
    "reversion",
    "csp",
    "axes",
    "adminsortable2",
    "content",
    "authors",
    "articles",
    "fronts",
    "live",
    "wordpress",
    "newsroom.apps.NewsroomConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "newsroom.query_strings.NulFreeQueryMiddleware",
    # Old addresses (registered by apps, e.g. an import's) answer 301; before the page cache,
    # which would drop the query parameters some of them are made of.
    "newsroom.old_addresses.OldAddressMiddleware",
    # Before sessions and auth, so that a cached page costs no session, user or database work.
    "newsroom.pagecache.PageCacheMiddleware",
    # Reader views: GET, HEAD and OPTIONS only; before CSRF, so a POST there is a 405, not a 403.
    "newsroom.methods.ReaderMethodsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

# Only staff sign in, through the admin; a refused or missing ``next`` lands on the admin index.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username+address is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

# Reader pages are Jinja2 templates (jinja2/, see newsroom/templating.py); the admin, the XML
# documents and the pages of the installed apps use Django's engine. A name is looked up in this
# order, so a reader template shadows nothing of the admin's.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "newsroom.templating.environment",
            "context_processors": [
                "newsroom.context_processors.site",
                "articles.context_processors.navigation",
                "fronts.context_processors.breaking_news",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.site",
                "articles.context_processors.navigation",
            ],
        },
    },
]

# SQLite file by default; DATABASE_URL (postgres://…) selects PostgreSQL with persistent,
# health-checked connections.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A page's queries each read a few dozen rows by index; starting parallel workers for them
    # costs far more than it saves (the deep tag page at a million stories: 13 ms with two
    # workers, 0.3 ms without), and under load the workers compete with gunicorn for the cores.
    # The story page's prepared statements (NEWSROOM_PREPARED_STATEMENTS below) keep one plan
    # for any values: their queries are index walks whatever the values, and planning the related
    # fill afresh cost more than running it. Statements Django itself sends are never prepared.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c max_parallel_workers_per_gather=0 -c plan_cache_mode=force_generic_plan"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections are kept as on PostgreSQL: opening the file and running the PRAGMAs on every
    # request cost about a millisecond. An idle connection holds no snapshot or lock in WAL mode.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds the page cache and its content generation, so it must be shared by every worker
# that serves readers. Production: Redis, shared by every instance; an outage is a cache miss, not an
# error. Embedded default: files in a local folder, shared by the workers of one machine.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # django-redis, because with IGNORE_EXCEPTIONS a Redis outage degrades to cache misses instead
    # of failing every page; the short timeouts keep a dead Redis from holding up a worker.
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("NEWSROOM_CACHE_PREFIX", "newsroom"),
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("NEWSROOM_CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            # The page cache's size bound here: past 5,000 entries a third are deleted (README).
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("NEWSROOM_LANGUAGE", "en-gb")
TIME_ZONE = os.environ.get("NEWSROOM_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("NEWSROOM_MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    # This server's disk, or the S3-compatible bucket NEWSROOM_S3_BUCKET names (storage_settings.py).
    "default": media_storage(os.environ, production=PRODUCTION),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 31536000 if PRODUCTION else 0
WHITENOISE_USE_FINDERS = not PRODUCTION

TAGGIT_CASE_INSENSITIVE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Reverse proxy and transport security. The proxy must set X-Forwarded-Proto.
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp). Reader pages and the admin load scripts and styles only from
# this site: no inline script, no inline style. Story bodies may show pictures from elsewhere (https).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "https:", *media_origins(STORAGES["default"])],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Login throttling (django-axes): five wrong passwords for one username from one address lock that
# pair out for 15 minutes; an administrator can lift it early (`manage.py axes_reset`, or the
# "Access attempts" admin). The client address is REMOTE_ADDR: the proxy must pass the real one on.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_RESET_ON_SUCCESS = True

# Newsroom's own settings.
NEWSROOM_SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "The Newsroom")
# Every absolute address the site gives out starts with this (newsroom/addresses.py), never
# with the request's Host header.
NEWSROOM_SITE_URL = os.environ.get("NEWSROOM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
_site = urlsplit(NEWSROOM_SITE_URL)
if _site.scheme not in {"http", "https"} or not _site.netloc or _site.path or _site.query:
    # A path prefix comes from the server (SCRIPT_NAME), as reverse() gives it.
    raise ImproperlyConfigured("NEWSROOM_SITE_URL must be http(s)://host[:port], with no path.")
NEWSROOM_TEASER_COUNT = int(os.environ.get("NEWSROOM_TEASER_COUNT", "3"))
NEWSROOM_BODY_MAX_LENGTH = 200_000
NEWSROOM_PAGE_SIZE = 20
# How long an editor's share link to a draft stays valid, in seconds (48 hours).
NEWSROOM_PREVIEW_MAX_AGE = int(os.environ.get("NEWSROOM_PREVIEW_MAX_AGE", str(48 * 3600)))
# The publisher logo search engines show with every story (a path under static/).
NEWSROOM_SITE_LOGO = os.environ.get("NEWSROOM_SITE_LOGO", "img/logo.png")
# Full-page cache for anonymous readers (newsroom/pagecache.py). Server-side lifetime of a page, and
# what browsers and CDNs are told; all three are also cut short by the next scheduled publication.
# Browsers revalidate (ETag, 304); a CDN may hold a page one second, which absorbs a breaking-news
# rush while keeping every change visible within a second.
NEWSROOM_PAGE_CACHE = env_bool("NEWSROOM_PAGE_CACHE", True)
NEWSROOM_PAGE_CACHE_SECONDS = int(os.environ.get("NEWSROOM_PAGE_CACHE_SECONDS", "600"))
NEWSROOM_HTTP_MAX_AGE = int(os.environ.get("NEWSROOM_HTTP_MAX_AGE", "0"))
NEWSROOM_HTTP_S_MAXAGE = int(os.environ.get("NEWSROOM_HTTP_S_MAXAGE", "1"))
# The largest response the page cache keeps, in bytes; a bigger one is served and not stored, so
# no cache backend's own item limit (memcached's 1 MiB) can turn a big page into a miss on every
# request or a failed write. Keep it under the backend's limit if that has one.
NEWSROOM_PAGE_CACHE_MAX_BYTES = int(os.environ.get("NEWSROOM_PAGE_CACHE_MAX_BYTES", str(2**20)))
# The story page's fast path (articles/fastpath/): its queries compiled once per process and run
# with fresh values. Off, articles/story_page.py runs the same querysets as plain Django.
NEWSROOM_STORY_FAST_PATH = env_bool("NEWSROOM_STORY_FAST_PATH", True)
# The fronts' fast path (fronts/render.py): the backfill's query compiled once per content
# generation, the chosen stories' once per process. Off, the same querysets run as plain Django.
NEWSROOM_FRONT_FAST_PATH = env_bool("NEWSROOM_FRONT_FAST_PATH", True)
# On the fast paths, the story page's and the fronts' queries as PostgreSQL prepared statements,
# planned once per connection. Turn off behind a connection pooler in transaction mode (e.g.
# PgBouncer's).
NEWSROOM_PREPARED_STATEMENTS = env_bool("NEWSROOM_PREPARED_STATEMENTS", True)
# The benchmark's scripts (bench/) and the tests turn this on: it installs the bench app (seeding,
# the bare baseline page). Off in any real site.
NEWSROOM_BENCH = env_bool("NEWSROOM_BENCH", False)
if NEWSROOM_BENCH:
    INSTALLED_APPS.append("bench")
# Only the fault scripts turn this on, with NEWSROOM_BENCH: a URL that sleeps, to outlast a worker.
NEWSROOM_BENCH_SLOW_URL = env_bool("NEWSROOM_BENCH_SLOW_URL")
# How often a live story's open page asks for new entries, in seconds; a story's own
# ``poll_seconds`` (editors raise it under load) overrides it.
NEWSROOM_LIVE_POLL_SECONDS = int(os.environ.get("NEWSROOM_LIVE_POLL_SECONDS", "15"))
