"""The live desk's forms: the post box, an entry's edit form, and a flag toggle."""

from django import forms
from django.db.models import Q
from django.utils import timezone

from authors.models import Author

from .models import Entry

# What the browser's own date-and-time box sends, in the site's time zone.
LOCAL_MOMENT = "%Y-%m-%dT%H:%M"
FLAGS = {
    "pin": ("is_pinned", True, "Pinned"),
    "unpin": ("is_pinned", False, "Unpinned"),
    "key_on": ("is_key_event", True, "Marked as a key event"),
    "key_off": ("is_key_event", False, "No longer a key event"),
}


def story_authors(article, user, entry=None):
    """Whom an entry may be signed by: the story's byline authors, the poster's own profile, and
    on an edit the author the entry has (who may have left the byline since)."""
    signed = Q(pk__in=article.bylines.values("author")) | Q(user=user)
    if entry is not None and entry.author_id:
        signed |= Q(pk=entry.author_id)
    return Author.objects.filter(signed)


class EntryForm(forms.ModelForm):
    publish_at = forms.DateTimeField(
        label="Schedule for",
        required=False,
        input_formats=[LOCAL_MOMENT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_MOMENT),
        help_text="Leave empty to post now. A later time holds the entry back until then.",
    )

    class Meta:
        model = Entry
        fields = [
            "body", "headline", "author", "image", "image_alt", "image_caption",
            "image_credit", "publish_at", "is_key_event",
        ]  # fmt: skip
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}
        labels = {"body": "Entry", "is_key_event": "Key event"}

    def __init__(self, *args, article, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        authors = story_authors(article, user, self.instance).distinct().order_by("name")
        self.fields["author"].queryset = authors
        # Signed by someone whenever the story has anyone to sign it.
        self.fields["author"].required = authors.exists()
        self.fields["author"].empty_label = None
        if self.instance._state.adding and not self.is_bound:
            own = authors.filter(user=user).first()
            if own is not None:
                self.initial["author"] = own.pk
        for name in ("body", "headline"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean(self):
        data = super().clean()
        has_picture = bool(data.get("image")) if "image" in data else bool(self.instance.image)
        if has_picture and not (data.get("image_alt") or "").strip():
            self.add_error("image_alt", "Describe the picture for readers who cannot see it.")
        return data

    def clean_publish_at(self):
        moment = self.cleaned_data["publish_at"]
        if self.instance._state.adding:
            return moment or timezone.now()
        stored = Entry.objects.filter(pk=self.instance.pk).values_list("publish_at", flat=True)
        stored = stored.first() or self.instance.publish_at
        # The box shows minutes: sent back as shown (or emptied), the entry keeps its own time.
        shown = timezone.localtime(stored).replace(second=0, microsecond=0)
        return stored if moment is None or moment == shown else moment

    def save(self, commit=False):
        """The entry, not saved: ``live.services.save_entry`` saves it."""
        entry = super().save(commit=False)
        entry.article = self.article
        return entry


class EntryEditForm(EntryForm):
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta(EntryForm.Meta):
        fields = [*EntryForm.Meta.fields, "correction_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base_version"].initial = self.instance.version
        self.fields["publish_at"].help_text = "Leave as it is to keep the entry's time."
        if not self.instance.is_public():
            # Readers have not seen it: there is nothing to correct.
            del self.fields["correction_note"]


class FlagForm(forms.Form):
    flag = forms.ChoiceField(choices=[(name, label) for name, (_, _, label) in FLAGS.items()])
    base_version = forms.IntegerField(min_value=1)

    def change(self):
        """(field, value, comment) for the entry."""
        return FLAGS[self.cleaned_data["flag"]]
