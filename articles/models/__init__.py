"""The story models, one module per family. Every model is importable from here, as before."""

from .article import BODY_MAX_LENGTH, DEK_WARNING_LENGTH, HEADLINE_PUBLISH_MAX, Article
from .byline import Byline, StoryTimeCopy
from .correction import Correction
from .placement import Placement, PlacementEvent, window_contains, windows_overlap
from .redirect import ArticleRedirect
from .section import Section
from .tagging import STORY_TIME_COPIES, TaggedArticle
from .teaser import RelatedTeaser

__all__ = [
    "BODY_MAX_LENGTH",
    "DEK_WARNING_LENGTH",
    "HEADLINE_PUBLISH_MAX",
    "STORY_TIME_COPIES",
    "Article",
    "ArticleRedirect",
    "Byline",
    "Correction",
    "Placement",
    "PlacementEvent",
    "RelatedTeaser",
    "Section",
    "StoryTimeCopy",
    "TaggedArticle",
    "window_contains",
    "windows_overlap",
]
