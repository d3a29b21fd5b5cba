"""The shapes a picture is cut to, and where each cut falls.

A zone of a page asks for a shape (a wide lead, a 4:3 grid cell, a square thumbnail), not for a
picture's own proportions. Each shape's cut is the largest box of its ratio inside the picture,
centred on the picture's focal point (two fractions, the centre by default) and moved back inside
the picture's edges where the point is near one. This module is arithmetic on sizes only:
``content.images`` cuts and stores the pixels, at the shape's widths, in WebP and JPEG.
"""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Shape:
    across: int
    down: int
    # Rendition widths, smallest first; a cut narrower than the largest stops at its own width.
    widths: tuple

    def height_for(self, width):
        return max(1, round(width * self.down / self.across))

    def widths_for(self, cut_width):
        """The widths to render a cut ``cut_width`` pixels wide at, largest first (no upscaling)."""
        largest = min(cut_width, self.widths[-1])
        return sorted({w for w in self.widths if w < largest} | {largest}, reverse=True)


# The shapes templates may ask for (``Article.hero_picture_in("square")``). Fewer widths than the
# as-uploaded set: a thumbnail is never drawn 1920 pixels wide.
SHAPES = {
    "wide": Shape(16, 9, (640, 960, 1280, 1920)),
    "landscape": Shape(4, 3, (320, 640, 960)),
    "square": Shape(1, 1, (160, 320, 640)),
}
CENTRE = 0.5


def fraction(value):
    """One coordinate of a focal point, held to 0..1; a missing or non-number value is the centre."""
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        return CENTRE
    return min(1.0, max(0.0, float(value)))


def crop_box(size, shape, focal=(CENTRE, CENTRE)):
    """The (left, top, right, bottom) box, in whole pixels of a picture of ``size``, that is cut
    for ``shape`` around the focal point ``focal`` (x across, y down, as fractions)."""
    width, height = size
    if width * shape.down >= height * shape.across:
        # Wider than the shape: the full height, and as much of the width as the ratio allows.
        box_width, box_height = (
            min(width, max(1, round(height * shape.across / shape.down))),
            height,
        )
    else:
        box_width, box_height = width, min(height, max(1, round(width * shape.down / shape.across)))
    x, y = fraction(focal[0]), fraction(focal[1])
    left = min(max(round(x * width - box_width / 2), 0), width - box_width)
    top = min(max(round(y * height - box_height / 2), 0), height - box_height)
    return (left, top, left + box_width, top + box_height)


def detail_needed(size):
    """The fraction of a picture's full width its pixels must keep for every shape's largest
    rendition to be cut without upscaling (a panorama's wide cut needs more than its
    as-uploaded renditions do)."""
    needed = 0.0
    for shape in SHAPES.values():
        left, _, right, _ = crop_box(size, shape)
        cut_width = right - left
        needed = max(needed, min(cut_width, shape.widths[-1]) / cut_width)
    return needed
