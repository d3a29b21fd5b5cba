"""Where each shape's cut falls: the largest box of its ratio, centred on the focal point, inside
the picture. Arithmetic only; the pixels are in test_picture_shapes.py."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from content.shapes import SHAPES, crop_box, detail_needed, fraction

WIDE, LANDSCAPE, SQUARE = SHAPES["wide"], SHAPES["landscape"], SHAPES["square"]


def test_the_centre_is_the_default_point():
    assert crop_box((1000, 500), SQUARE) == (250, 0, 750, 500)
    assert crop_box((1000, 500), SQUARE, (0.5, 0.5)) == (250, 0, 750, 500)
    assert crop_box((500, 1000), LANDSCAPE) == (0, 312, 500, 687)


@pytest.mark.parametrize(
    "focal, box",
    [
        ((0, 0), (0, 0, 500, 500)),
        ((1, 1), (500, 0, 1000, 500)),
        ((0.1, 0.5), (0, 0, 500, 500)),  # 100 pixels in: the box would start at -150
        ((0.9, 0.5), (500, 0, 1000, 500)),
        ((0.3, 0.5), (50, 0, 550, 500)),  # far enough in to be centred on the point
    ],
)
def test_a_point_near_an_edge_moves_the_box_back_inside(focal, box):
    assert crop_box((1000, 500), SQUARE, focal) == box


def test_a_point_in_a_corner_puts_the_box_in_that_corner():
    assert crop_box((600, 900), WIDE, (0, 0)) == (0, 0, 600, 338)
    assert crop_box((600, 900), WIDE, (1, 1)) == (0, 562, 600, 900)
    assert crop_box((2000, 500), LANDSCAPE, (1, 0)) == (1333, 0, 2000, 500)


def test_out_of_range_points_are_held_to_the_picture():
    assert fraction(-0.1) == 0.0
    assert fraction(1.5) == 1.0
    assert fraction(0.25) == 0.25
    for nonsense in (None, math.nan, "0.5", True):
        assert fraction(nonsense) == 0.5
    assert crop_box((1000, 500), SQUARE, (-3, 7)) == crop_box((1000, 500), SQUARE, (0, 1))


sizes = st.tuples(st.integers(16, 6000), st.integers(16, 6000))
points = st.tuples(st.floats(0, 1), st.floats(0, 1))


@given(size=sizes, focal=points, name=st.sampled_from(sorted(SHAPES)))
def test_every_cut_is_the_largest_box_of_its_ratio_inside_the_picture(size, focal, name):
    shape = SHAPES[name]
    width, height = size
    left, top, right, bottom = crop_box(size, shape, focal)
    box_width, box_height = right - left, bottom - top
    assert 0 <= left < right <= width and 0 <= top < bottom <= height
    # The largest: it spans the picture one way or the other.
    assert box_width == width or box_height == height
    # The ratio, exact to a pixel: the side worked out is the nearest whole pixel to the ratio.
    if box_height == height and box_width < width:
        assert abs(box_width - box_height * shape.across / shape.down) <= 0.5
    else:
        assert abs(box_height - box_width * shape.down / shape.across) <= 0.5
    # Centred on the point wherever the picture's edges leave room for it.
    if left > 0 and right < width:
        assert abs((left + right) / 2 - focal[0] * width) <= 0.5
    if top > 0 and bottom < height:
        assert abs((top + bottom) / 2 - focal[1] * height) <= 0.5


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_each_shapes_renditions_have_its_ratio_to_a_pixel(name):
    shape = SHAPES[name]
    for width in shape.widths:
        assert abs(shape.height_for(width) - width * shape.down / shape.across) <= 0.5


def test_a_cut_is_rendered_at_the_shapes_widths_never_wider_than_itself():
    assert WIDE.widths_for(3000) == [1920, 1280, 960, 640]
    assert LANDSCAPE.widths_for(533) == [533, 320]
    assert SQUARE.widths_for(400) == [400, 320, 160]
    assert SQUARE.widths_for(100) == [100]


def test_a_panorama_needs_more_of_its_pixels_than_a_photograph():
    # A 3:2 photograph: its widest cut is the full width, which the 1920 rendition covers.
    assert detail_needed((6000, 4000)) == pytest.approx(1920 / 6000)
    # A 4000×900 panorama: its wide cut is 1600 of its 4000 pixels, and is drawn 1600 wide.
    assert detail_needed((4000, 900)) == 1.0
