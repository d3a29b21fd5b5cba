"""What the page cache tests ask of a response."""


def hit(response):
    """Whether the page cache answered (the middleware marks its answers)."""
    return response.headers.get("X-Page-Cache") == "hit"
