"""The story desk in Django's admin, one module per screen:

- ``story``: stories (list, form, workflow buttons, bulk actions), with ``story_screens``
  (preview, share link, Markdown preview) and ``story_history`` (versions, compare, revert);
- ``inlines``: what a story carries, edited on its page (bylines, corrections, teasers);
- ``teasers``: teasers on their own, the editors' schedule, the strip "as of" and the audit;
- ``corrections``, ``sections``, ``tags``;
- ``forms``: the forms these screens use.

Every change of workflow goes through ``articles.services``; the admin never sets a status itself.
Another app adds to a story's page with ``register_story_inline`` and links to its own screens for
the story with ``register_story_links`` (both from its own admin module).
"""

from . import corrections, sections, story, tags, teasers  # noqa: F401  (registers each ModelAdmin)
from .story import register_story_inline, register_story_links

__all__ = ["register_story_inline", "register_story_links"]
