import io

import pytest
from django.core.management import call_command
from PIL import Image

from wordpress.models import ImportedPost

from .wxr_files import Export


def jpeg_bytes(size=(80, 60), color=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def uploads(tmp_path):
    root = tmp_path / "uploads"
    root.mkdir()
    return root


def put_upload(root, relative, data=None):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if data is not None else jpeg_bytes())
    return path


@pytest.fixture
def run_import(tmp_path):
    """Write ``export`` to a file and import it; returns the command's output."""

    def run(export, *args, name="export.xml"):
        path = tmp_path / name
        if isinstance(export, Export):
            export.write(path)
        else:
            path.write_text(export, encoding="utf-8") if isinstance(
                export, str
            ) else path.write_bytes(export)
        out = io.StringIO()
        call_command("import_wordpress", str(path), *args, stdout=out)
        return out.getvalue()

    return run


def story(wp_id):
    return ImportedPost.objects.select_related("article").get(wp_id=wp_id).article
