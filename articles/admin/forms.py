"""The admin's forms: the story form (workflow buttons, the edit-conflict check, the kind of change),
the teaser forms and the teaser screens' filters."""

import copy
from datetime import UTC

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from taggit.forms import TagField, TagWidget
from taggit.models import Tag

from content.focal_point import FocalPointField, FocalPointForm

from ..models import (
    HEADLINE_PUBLISH_MAX,
    Article,
    Correction,
    RelatedTeaser,
    Section,
    windows_overlap,
)
from ..permissions import can_publish
from ..services import changed_meanwhile

# Submit-button names on the change form, and the workflow step each one asks for.
ACTIONS = {
    "_save_draft": "draft",
    "_submit": "submit",
    "_publish": "publish",
    "_schedule": "schedule",
    "_withdraw": "withdraw",
}
DESK_ACTIONS = {"publish", "schedule", "withdraw"}
WORKFLOW_CONTROLS = {
    "base_version",
    "change_kind",
    "update_text",
    "correction_kind",
    "correction_text",
}


def requested_action(data):
    """The workflow button pressed, or None for a plain save."""
    return next((action for name, action in ACTIONS.items() if name in data), None)


class TagDatalistWidget(TagWidget):
    """taggit's comma-separated text input, with existing tags offered by the browser."""

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{(attrs or {}).get('id', name)}-suggestions"
        html = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        names = Tag.objects.order_by("name").values_list("name", flat=True)[:500]
        options = format_html_join("", '<option value="{}">', ((tag,) for tag in names))
        return html + format_html('<datalist id="{}">{}</datalist>', list_id, options)


class NamedDateTimeBoxes:
    """Names the date box and the time box of each split date/time field after the field.

    Django's admin widget prints "Date:" and "Time:" as bare text beside the two inputs, which
    names neither of them for a screen reader, and the field's own label points at no input.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.SplitDateTimeWidget):
                date_box, time_box = field.widget.widgets
                date_box.attrs["aria-label"] = f"{field.label}: date"
                time_box.attrs["aria-label"] = f"{field.label}: time"


class CountedLengths:
    """Text fields say their limit and count as one types (static/js/admin-length-count.js).

    The browser's ``maxlength`` is dropped: it cut pasted or typed text silently at the limit.
    An over-long value now comes back with a form error naming the limit, and the text kept.
    """

    # A longer headline may be saved while it is being cut, but it is not published.
    count_limits = {"headline": HEADLINE_PUBLISH_MAX}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if not isinstance(field, forms.CharField) or not field.max_length:
                continue
            if isinstance(field, forms.URLField | forms.SlugField) or field.widget.is_hidden:
                continue
            limit = self.count_limits.get(name, field.max_length)
            field.widget.attrs.pop("maxlength", None)
            field.widget.attrs["data-count-limit"] = limit
            if name not in self.count_limits:
                field.help_text = f"{field.help_text} Up to {limit} characters.".strip()


class CorrectionInlineForm(NamedDateTimeBoxes, forms.ModelForm):
    class Meta:
        model = Correction
        fields = ["kind", "text", "published_at"]


class TagListField(TagField):
    """taggit's comma-separated tags, each held to what a tag's name and address can store."""

    def clean(self, value):
        names = super().clean(value)
        name_max = Tag._meta.get_field("name").max_length
        slug_max = Tag._meta.get_field("slug").max_length
        for name in names:
            if len(name) > name_max:
                raise forms.ValidationError(
                    "A tag can be at most %(max)d characters long: “%(start)s…” has %(length)d.",
                    code="tag_too_long",
                    params={"max": name_max, "start": name[:20], "length": len(name)},
                )
            if len(Tag().slugify(name)) > slug_max:
                raise forms.ValidationError(
                    "The tag “%(start)s…” makes an address longer than %(max)d characters.",
                    code="tag_slug_too_long",
                    params={"max": slug_max, "start": name[:20]},
                )
        return names


class ArticleAdminForm(NamedDateTimeBoxes, CountedLengths, FocalPointForm, forms.ModelForm):
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    hero_focal_point = FocalPointField(
        image="hero_image",
        renditions="hero_renditions",
        x="hero_focal_x",
        y="hero_focal_y",
        label="Focal point",
        help_text="Click the picture where its subject is (or give it the focus and use the arrow "
        "keys, Shift for larger steps), or type the two fractions. Wide, 4:3 and square spaces "
        "cut the picture around this point. A new picture starts at the centre.",
    )
    change_kind = forms.ChoiceField(
        label="Kind of change",
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("silent", "Silent fix: typos and the like; readers see no new date"),
            ("update", "Update: sets the “Updated” time, with a one-line note"),
            ("correction", "Correction: appends a correction at the top of the story"),
        ],
        help_text="This story is live: say what kind of change you are making.",
    )
    update_text = forms.CharField(
        required=False,
        max_length=200,
        help_text="For an update: one line, shown to readers after the “Updated” time.",
    )
    first_published = forms.SplitDateTimeField(
        label="First published",
        required=False,
        widget=AdminSplitDateTime,
        help_text="Fixes the date in the story's address. Changing it on a live story leaves "
        "a permanent redirect from the old address.",
    )
    correction_kind = forms.ChoiceField(
        required=False, choices=Correction.Kind.choices, initial=Correction.Kind.CORRECTION
    )
    correction_text = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For a correction: what was wrong and what is right, as readers will read it.",
    )

    # Set by the admin: who is saving, and whether this is a real save (a preview is not).
    user = None
    previewing = False

    class Meta:
        model = Article
        # Never ``status``: it changes only through the workflow buttons.
        fields = [
            "kicker", "headline", "slug", "dek", "body", "section", "tags",
            "hero_image", "hero_focal_x", "hero_focal_y", "hero_alt", "hero_caption",
            "hero_credit", "publish_at", "unpublish_at", "is_featured",
            "seo_title", "seo_description", "canonical_url",
        ]  # fmt: skip
        widgets = {"tags": TagDatalistWidget}
        help_texts = {
            "headline": f"Up to {HEADLINE_PUBLISH_MAX} characters to publish; a longer draft "
            "can be saved while you cut it.",
            "body": "Markdown. To quote a social-media post, write it as a quotation with its "
            "source on the last line, after a blank quoted line:<br>"
            "<code>&gt; The words of the post.</code><br><code>&gt;</code><br>"
            "<code>&gt; — @name on Social, [Sunday, 23:14](https://social.example/post/1)</code>",
        }
        field_classes = {"tags": TagListField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Validation writes the edit into ``instance`` even when it fails (a live story may be left
        # with no publish_at); the workflow buttons and the checklist read the story as stored.
        self.stored = copy.copy(self.instance)
        self.was_live = self.instance.pk is not None and self.instance.is_live()
        self.locked = None
        self.fields["base_version"].initial = self.instance.version
        self.fields["first_published"].initial = self.instance.first_published_at

    @property
    def changed_data(self):
        # The history's "Changed …" line lists story fields, not the workflow controls.
        changed = [name for name in super().changed_data if name not in WORKFLOW_CONTROLS]
        if "first_published" in changed and getattr(self, "cleaned_data", {}).get(
            "first_published"
        ) == (self.fields["first_published"].initial):
            changed.remove("first_published")  # only the seconds' fraction differed
        return changed

    def _unchanged_to_the_second(self, name):
        # The admin's date/time inputs stop at seconds: an untouched time keeps its precision.
        value, stored = self.cleaned_data.get(name), getattr(self.instance, name)
        if value and stored and value == stored.replace(microsecond=0):
            return stored
        return value

    def clean_publish_at(self):
        value = self._unchanged_to_the_second("publish_at")
        if value is None and self.instance.status == Article.Status.PUBLISHED:
            # A published story without a publication time has no state; withdraw it instead.
            # Checked with the field, not in clean(), so the empty value never reaches the
            # instance the change form shows again, whatever else failed (clean() may stop early).
            raise forms.ValidationError("A published story needs a publication time.")
        return value

    def clean_unpublish_at(self):
        return self._unchanged_to_the_second("unpublish_at")

    def clean_first_published(self):
        # Stands in for the model's non-editable first_published_at; empty means "leave it".
        value, stored = self.cleaned_data.get("first_published"), self.instance.first_published_at
        if value is None or (stored and value == stored.replace(microsecond=0)):
            return stored
        return value

    def clean(self):
        cleaned = super().clean()
        self.action = requested_action(self.data)
        if self.previewing:
            return cleaned
        if self.instance.pk is not None:
            self._check_version(cleaned.get("base_version"))
        if self.action in {"draft", "submit"} and self.instance.status not in {
            Article.Status.DRAFT,
            Article.Status.IN_REVIEW,
        }:
            raise forms.ValidationError(
                "A published or withdrawn story cannot go back to draft or review."
            )
        if self.action in DESK_ACTIONS and not can_publish(self.user):
            raise forms.ValidationError(
                "Only editors can publish, schedule or withdraw a story; submit it for review."
            )
        if self.action == "schedule":
            when = cleaned.get("publish_at")
            if when is None or when <= timezone.now():
                self.add_error("publish_at", "To schedule, set a publication time in the future.")
        if self.was_live and self.action is None:
            self._clean_change_kind(cleaned)
        return cleaned

    def _check_version(self, base_version):
        # Lock the row until this save's transaction ends, so two saves of the same story
        # cannot both pass this check (PostgreSQL row lock; SQLite runs one writer at a time).
        locked = (
            Article.objects.select_for_update()
            .only("version", "modified_at", "modified_by")
            .get(pk=self.instance.pk)
        )
        if base_version != locked.version:
            raise forms.ValidationError(
                changed_meanwhile("story", by=locked.modified_by, at=locked.modified_at),
                code="stale",
            )
        self.locked = locked

    def _clean_change_kind(self, cleaned):
        kind = cleaned.get("change_kind")
        if not kind:
            self.add_error("change_kind", "Choose the kind of change for a live story.")
        elif kind == "update" and not cleaned.get("update_text", "").strip():
            self.add_error("update_text", "An update needs a one-line note for readers.")
        elif kind == "correction" and not cleaned.get("correction_text", "").strip():
            self.add_error("correction_text", "Write the correction readers will see.")

    @property
    def next_version(self):
        return self.locked.version + 1 if self.locked else self.instance.version


def _overlap_message(target, blocked=False):
    if blocked:
        return (
            f"“{target}” is both teased and never to be shown here. Remove the teaser or the block."
        )
    return (
        f"“{target}” is teased twice with overlapping windows. Change one window so that the "
        "second starts when the first ends, or remove one teaser."
    )


class TeaserFormSet(BaseInlineFormSet):
    """Checks the rows of one story together: the database may still hold the windows being edited."""

    def clean(self):
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data
            and form.cleaned_data.get("target")
            and not self._should_delete_form(form)
        ]
        for index, first in enumerate(kept):
            for second in kept[index + 1 :]:
                if first["target"] == second["target"] and windows_overlap(
                    first.get("starts_at"),
                    first.get("ends_at"),
                    second.get("starts_at"),
                    second.get("ends_at"),
                ):
                    blocked = first.get("is_blocked") or second.get("is_blocked")
                    raise ValidationError(_overlap_message(first["target"], blocked))


class TeaserForm(NamedDateTimeBoxes, forms.ModelForm):
    class Meta:
        model = RelatedTeaser
        fields = [
            "position",
            "target",
            "url",
            "is_blocked",
            "headline",
            "excerpt",
            "starts_at",
            "ends_at",
        ]
        # Form fields do not inherit a model field's messages; say which schemes are allowed.
        error_messages = {"url": {"invalid": RelatedTeaser.URL_SCHEME_MESSAGE}}


class RelatedTeaserForm(TeaserForm):
    """The stand-alone teaser form: checks the story's other teasers in the database."""

    class Meta(TeaserForm.Meta):
        fields = ["article", *TeaserForm.Meta.fields]

    def clean(self):
        data = super().clean()
        probe = RelatedTeaser(
            pk=self.instance.pk,
            article=data.get("article"),
            target=data.get("target"),
            starts_at=data.get("starts_at"),
            ends_at=data.get("ends_at"),
            is_blocked=bool(data.get("is_blocked")),
        )
        if probe.article_id and probe.target_id:
            clashes = RelatedTeaser.objects.overlapping(probe)
            if clashes.exists():
                blocked = probe.is_blocked or clashes.filter(is_blocked=True).exists()
                raise ValidationError(_overlap_message(probe.target, blocked))
        return data


class AsOfForm(forms.Form):
    at = forms.DateTimeField(
        required=False,
        label="As of",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Empty: now.",
    )

    def clean_at(self):
        at = self.cleaned_data["at"]
        try:
            if at is not None:
                at.astimezone(UTC)
        except OverflowError:
            raise ValidationError("That moment is too far from today to draw.") from None
        return at


class ScheduleForm(AsOfForm):
    day = forms.DateField(
        required=False,
        label="Running on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Only teasers whose window includes part of this day.",
    )
    section = forms.ModelChoiceField(
        Section.objects.all(), required=False, label="Section of the host story"
    )
