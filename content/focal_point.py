"""A picture's focal point in a model form: the two fraction boxes, and the picture to click on.

The point is two ``content.fields.FractionField`` s on the model. Their number boxes are the form's
real inputs, so the point can be typed without JavaScript. A ``FocalPointField`` on the form adds
the stored picture with a marker, which static/js/admin-focal-point.js makes into the picker: a
click on the picture, or the arrow keys once it has the focus, sets both boxes.
"""

from django import forms
from django.utils.html import format_html

from .images import picture_for
from .shapes import CENTRE

NO_PICTURE = "Once the picture is saved it is shown here, to click on where its subject is."


class FocalPointPicker(forms.Widget):
    """The stored picture and the point's marker; it sends nothing (the two boxes do)."""

    boxes = ("", "")

    class Media:
        js = ["js/admin-focal-point.js"]

    def render(self, name, value, attrs=None, renderer=None):
        if value is None:
            return format_html('<p class="focal-point__none">{}</p>', NO_PICTURE)
        return format_html(
            '<div class="focal-point" id="{}" data-focal-x="{}" data-focal-y="{}">'
            '<img class="focal-point__picture" src="{}" alt="" width="{}" height="{}">'
            '<span class="focal-point__marker" hidden></span></div>',
            (attrs or {}).get("id", ""),
            *self.boxes,
            value.src,
            value.width,
            value.height,
        )

    def value_from_datadict(self, data, files, name):
        return None

    def value_omitted_from_data(self, data, files, name):
        return True

    def id_for_label(self, id_):
        # A picture is not a form control: the label names the picker through aria (the script).
        return None


class FocalPointField(forms.Field):
    """The picker for the focal point of the form's picture (``image``, with its ``renditions``)
    held in the model fields ``x`` and ``y``. Declare it on a ``FocalPointForm``."""

    widget = FocalPointPicker

    def __init__(self, *, image, renditions, x, y, **kwargs):
        super().__init__(required=False, disabled=True, **kwargs)
        self.image, self.renditions, self.x, self.y = image, renditions, x, y


class FocalPointForm:
    """For a model form with a ``FocalPointField``: the picker shows the stored picture, and a new
    picture (or none) whose point was not set in the same submission starts at the centre, since
    the point set on the old one says nothing about it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self._focal_point_fields():
            instance = self.instance
            fieldfile = getattr(instance, field.image)
            field.initial = picture_for(fieldfile, getattr(instance, field.renditions))
            field.widget.boxes = (self[field.x].auto_id, self[field.y].auto_id)

    def clean(self):
        cleaned = super().clean()
        changed = set(self.changed_data)
        for field in self._focal_point_fields():
            if field.image in changed and not {field.x, field.y} & changed:
                for name in (field.x, field.y):
                    cleaned[name] = CENTRE
                    # An empty or missing box leaves the instance's value: set it there too.
                    setattr(self.instance, name, CENTRE)
        return cleaned

    def _focal_point_fields(self):
        return [
            field
            for field in self.fields.values()
            if isinstance(field, FocalPointField) and {field.x, field.y} <= self.fields.keys()
        ]
