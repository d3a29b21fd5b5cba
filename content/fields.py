from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
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


class FractionInput(forms.NumberInput):
    def value_omitted_from_data(self, data, files, name):
        # An empty box counts as one not sent: the model form leaves the stored value as it is.
        return data.get(name) in (None, "")


class FractionFormField(forms.FloatField):
    widget = FractionInput

    def __init__(self, **kwargs):
        # Never required: an empty box keeps the stored value (``FractionInput``).
        super().__init__(**{"min_value": 0, "max_value": 1, **kwargs, "required": False})

    def has_changed(self, initial, data):
        return data not in self.empty_values and super().has_changed(initial, data)


class FractionField(models.FloatField):
    """A fraction from 0 to 1, the centre (0.5) unless set: one coordinate of a focal point.

    In a model form, the box may be left empty (or not sent at all): the value stays as stored.
    """

    default_validators = [MinValueValidator(0.0), MaxValueValidator(1.0)]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", 0.5)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": FractionFormField, **kwargs})
