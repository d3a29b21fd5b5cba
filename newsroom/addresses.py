"""The one door to absolute addresses: each starts with NEWSROOM_SITE_URL, never with the Host header.

A request's Host may be any allowed name with any port (``127.0.0.1:9999``); the addresses a page,
feed, sitemap or API answer gives search engines and partners must not follow it. They also must
not differ between hosts, so that one cached page is right for all of them.
"""

from urllib.parse import urlsplit

from django.conf import settings


def site_origin():
    """``scheme://host[:port]`` of NEWSROOM_SITE_URL; paths come from reverse(), prefix and all."""
    parts = urlsplit(settings.NEWSROOM_SITE_URL)
    return f"{parts.scheme}://{parts.netloc}"


def site_scheme():
    return urlsplit(settings.NEWSROOM_SITE_URL).scheme


def site_domain():
    return urlsplit(settings.NEWSROOM_SITE_URL).netloc


def absolute_url(address):
    """An address on this site (a path, as reverse() or a storage gives it) made absolute.

    An address that is absolute already, such as a picture on object storage, is left as it is.
    """
    if address.startswith(("http://", "https://", "data:")):
        return address
    if address.startswith("//"):
        return f"{site_scheme()}:{address}"
    return site_origin() + address
