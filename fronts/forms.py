"""The forms of the fronts' admin: each carries the version of the front it edits, and the
"front as of" form."""

from django import forms
from django.core.exceptions import ValidationError

from articles.admin.forms import AsOfForm, NamedDateTimeBoxes
from content.focal_point import FocalPointField, FocalPointForm

from .models import URL_SCHEME_MESSAGE, Front, Pick, Zone
from .services import FrontChanged, check_version


class FrontVersionCheck:
    """A form of a front, or of a zone or pick on one, carrying the front's version (hidden) as
    it was when the editor opened the form: a save made from an older version is refused with
    the other editor's name, and the form comes back with everything typed in it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        front = self.edited_front()
        if "base_version" in self.fields:
            self.fields["base_version"].required = front is not None
            self.fields["base_version"].initial = front.version if front is not None else None

    def edited_front(self):
        """The stored front this form changes; None for a new one."""
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        front = self.edited_front()
        if front is not None and "base_version" in cleaned:
            # Locks the front's row until the save's transaction ends (the admin's view is one).
            try:
                check_version(front, cleaned["base_version"])
            except FrontChanged as changed:
                raise ValidationError(str(changed), code="stale") from changed
        return cleaned


def version_field():
    return forms.IntegerField(widget=forms.HiddenInput, required=False)


class FrontForm(FrontVersionCheck, forms.ModelForm):
    base_version = version_field()

    class Meta:
        model = Front
        fields = ["kind", "section"]

    def edited_front(self):
        return self.instance if self.instance.pk else None


class ZoneForm(FrontVersionCheck, forms.ModelForm):
    base_version = version_field()

    class Meta:
        model = Zone
        fields = [
            "front", "position", "heading", "heading_link", "anchor", "layout", "size",
            "backfill", "backfill_section", "backfill_tag", "featured", "picture_shape",
            "empty_message",
        ]  # fmt: skip

    def edited_front(self):
        return self.instance.front if self.instance.pk else None


class ZoneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, zone):
        return f"{zone.front} › {zone}"


class PickInlineForm(NamedDateTimeBoxes, forms.ModelForm):
    class Meta:
        model = Pick
        fields = [
            "position", "target", "url", "headline", "excerpt", "image", "image_alt",
            "image_focal_x", "image_focal_y", "kind", "starts_at", "ends_at",
        ]  # fmt: skip
        # Form fields do not inherit a model field's messages; say which schemes are allowed.
        error_messages = {"url": {"invalid": URL_SCHEME_MESSAGE}}


class PickForm(FrontVersionCheck, FocalPointForm, PickInlineForm):
    base_version = version_field()
    image_focal_point = FocalPointField(
        image="image",
        renditions="image_renditions",
        x="image_focal_x",
        y="image_focal_y",
        label="Focal point",
        help_text="Click the picture where its subject is (or give it the focus and use the arrow "
        "keys), or type the two fractions: each zone's shape cuts the picture around it.",
    )

    class Meta(PickInlineForm.Meta):
        fields = ["zone", *PickInlineForm.Meta.fields]
        field_classes = {"zone": ZoneChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "zone" in self.fields:
            self.fields["zone"].queryset = Zone.objects.select_related("front__section")

    def edited_front(self):
        return self.instance.zone.front if self.instance.pk else None


class FrontAsOfForm(AsOfForm):
    """The teaser strip's "as of" form, with the moment required."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at"].required = True
        self.fields[
            "at"
        ].help_text = "The date and time to draw the page at, in the site's time zone."
