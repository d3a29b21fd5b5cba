"""The story page's fast path: its questions as prepared queries (``story.py``, on the project's
prepared queries in ``newsroom/prepared.py``).

The story page is the site's most read uncached page, and building its querysets cost more than
the database's answers (bench/RESULTS.md). What is here makes it cheaper and nothing else: the
questions themselves are plain querysets in ``articles/story_page.py``, the only module that
imports this package (an import contract in pyproject.toml), and ``NEWSROOM_STORY_FAST_PATH=0``
runs them as those plain querysets instead.

The tags and corrections folded into the story's own query as JSON (``articles/jsonrows.py``)
are not inside this fence: ``for_detail()`` uses them for the feeds, the API and the preview too,
and each of those would ask for its rows in queries of their own without it.
"""
