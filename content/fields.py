from django.db import models

from .markup import clean_single_line, clean_text


class SingleLineCharField(models.CharField):
    """A one-line text field: control characters and line breaks never reach the database."""

    def to_python(self, value):
        return clean_single_line(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = clean_single_line(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


class CleanTextField(models.TextField):
    """Multi-line text without the control characters that XML feeds cannot carry."""

    def to_python(self, value):
        return clean_text(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = clean_text(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value
