from django import forms
from django.core.validators import URLValidator


class URLListField(forms.CharField):
    """A list of URLs edited as one URL per line."""

    widget = forms.Textarea(attrs={"rows": 3})
    default_error_messages = {"invalid_url": "Line %(line)s is not a valid http(s) URL: %(value)s"}

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value):
        if isinstance(value, list | tuple):
            return list(value)
        return [line.strip() for line in (value or "").splitlines() if line.strip()]

    def run_validators(self, value):
        # CharField's own checks (no NUL character, max_length) hold for each line, not the list.
        for line in value:
            super().run_validators(line)

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        check = URLValidator(schemes=["http", "https"])
        for number, url in enumerate(value, start=1):
            try:
                check(url)
            except forms.ValidationError as exc:
                raise forms.ValidationError(
                    self.error_messages["invalid_url"],
                    code="invalid_url",
                    params={"line": number, "value": url},
                ) from exc


class AuthorForm(forms.ModelForm):
    social_links = URLListField(
        required=False,
        help_text="Profile URLs elsewhere, one per line; published as sameAs.",
    )
