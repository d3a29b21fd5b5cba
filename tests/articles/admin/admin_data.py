"""POST data for the story change form, built the way the admin's form would send it."""

from django.utils import timezone

from articles.models import Article


def _split(prefix, value):
    if value is None:
        return {f"{prefix}_0": "", f"{prefix}_1": ""}
    local = timezone.localtime(value)
    return {f"{prefix}_0": local.strftime("%Y-%m-%d"), f"{prefix}_1": local.strftime("%H:%M:%S")}


def article_form_data(article=None, *, bylines=None, new_bylines=(), **overrides):
    """Every field and inline of the story form as currently stored, plus ``overrides``.

    ``new_bylines`` is a list of (author, role) added as extra inline forms.
    """
    article = article or Article(headline="", slug="")
    data = {
        "kicker": article.kicker,
        "headline": article.headline,
        "slug": article.slug,
        "dek": article.dek,
        "body": article.body,
        "section": article.section_id or "",
        "tags": ", ".join(article.tags.names()) if article.pk else "",
        "hero_alt": article.hero_alt,
        "hero_caption": article.hero_caption,
        "hero_credit": article.hero_credit,
        "hero_focal_x": article.hero_focal_x,
        "hero_focal_y": article.hero_focal_y,
        "seo_title": article.seo_title,
        "seo_description": article.seo_description,
        "canonical_url": article.canonical_url,
        "base_version": article.version if article.pk else "",
        **_split("publish_at", article.publish_at),
        **_split("unpublish_at", article.unpublish_at),
    }
    if article.is_featured:
        data["is_featured"] = "on"
    existing = list(article.bylines.all()) if article.pk else []
    data.update(_management("bylines", len(existing), len(existing) + len(new_bylines)))
    for i, byline in enumerate(existing):
        data.update(
            {
                f"bylines-{i}-id": byline.pk,
                f"bylines-{i}-article": article.pk,
                f"bylines-{i}-position": byline.position,
                f"bylines-{i}-author": byline.author_id,
                f"bylines-{i}-role": byline.role,
            }
        )
    for offset, (author, role) in enumerate(new_bylines):
        i = len(existing) + offset
        data.update(
            {
                f"bylines-{i}-article": article.pk or "",
                f"bylines-{i}-position": i,
                f"bylines-{i}-author": author.pk,
                f"bylines-{i}-role": role,
            }
        )
    corrections = list(article.corrections.all()) if article.pk else []
    data.update(_management("corrections", len(corrections), len(corrections)))
    for i, correction in enumerate(corrections):
        data.update(
            {
                f"corrections-{i}-id": correction.pk,
                f"corrections-{i}-article": article.pk,
                f"corrections-{i}-kind": correction.kind,
                f"corrections-{i}-text": correction.text,
                **_split(f"corrections-{i}-published_at", correction.published_at),
            }
        )
    teasers = list(article.teasers.all()) if article.pk else []
    data.update(_management("teasers", len(teasers), len(teasers)))
    for i, teaser in enumerate(teasers):
        data.update(
            {
                f"teasers-{i}-id": teaser.pk,
                f"teasers-{i}-article": article.pk,
                f"teasers-{i}-position": teaser.position,
                f"teasers-{i}-target": teaser.target_id or "",
                f"teasers-{i}-url": teaser.url,
                f"teasers-{i}-headline": teaser.headline,
                f"teasers-{i}-excerpt": teaser.excerpt,
                **_split(f"teasers-{i}-starts_at", teaser.starts_at),
                **_split(f"teasers-{i}-ends_at", teaser.ends_at),
            }
        )
    data.update(overrides)
    return data


def _management(prefix, initial, total):
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def add_inline(data, prefix, fields):
    """Append one extra inline form (``fields`` without the prefix) to ``data``."""
    i = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = i + 1
    data.update({f"{prefix}-{i}-{name}": value for name, value in fields.items()})
    return data
