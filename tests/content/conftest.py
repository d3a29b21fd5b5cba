import pytest
from PIL import Image, ImageFile


@pytest.fixture
def image_work(monkeypatch):
    """Records the size of every decode and the source size of every resize Pillow does."""
    work = {"decoded": [], "resized": []}
    load, resize = ImageFile.ImageFile.load, Image.Image.resize

    def counting_load(self):
        if self.tile:  # pixels still to decode: this call decodes them, at ``self.size``
            work["decoded"].append(self.size)
        return load(self)

    def counting_resize(self, size, *args, **kwargs):
        work["resized"].append(self.size)
        return resize(self, size, *args, **kwargs)

    monkeypatch.setattr(ImageFile.ImageFile, "load", counting_load)
    monkeypatch.setattr(Image.Image, "resize", counting_resize)
    return work
