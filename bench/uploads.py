"""Upload figures: a camera-sized JPEG and a large PNG, from the admin's POST to stored renditions.

    python bench/uploads.py                 # on its own: a throw-away SQLite database
    (bench/run.py measures the same at the end of its in-process figures)

Each picture is posted to the story add form through Django's test client, the path an editor's
upload takes: multipart parsing, the form's checks and re-encoding, the original and the ten
renditions written to storage, the row saved. The clock runs from the request's start to its end
(Django's request_started and request_finished signals), so building the POST body is not
counted; the process's CPU time over the same span is given too, as the machine may be busy. Everything runs in a transaction that is rolled back, with media in a temporary folder,
so the database is left as it was and the files go with the rollback.
"""

import html as html_module
import io
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A camera's JPEG, a photograph saved as PNG, and the review's case: a PNG of 36 megapixels that
# is mostly empty (a few kilobytes on the wire).
PICTURES = {
    "jpeg_48mp": ("JPEG", (8000, 6000), "photo"),
    "png_36mp": ("PNG", (7200, 5000), "photo"),
    "png_36mp_sparse": ("PNG", (6000, 6000), "sparse"),
}
GOAL_SECONDS = 2.0
REPEATS = 3


def camera_like(size):
    """A smooth colour field with sensor-like noise: compresses like a photo, not like a blank."""
    from PIL import Image, ImageChops

    width, height = size
    across = Image.linear_gradient("L").rotate(90).resize(size)
    down = Image.linear_gradient("L").resize(size)
    colour = Image.merge("RGB", (across, down, ImageChops.invert(across)))
    noise = Image.effect_noise((width // 2, height // 2), 20).resize(size).convert("RGB")
    return Image.blend(colour, noise, 0.12)


def sparse(size):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, (255, 255, 255))
    ImageDraw.Draw(image).rectangle(
        (size[0] // 3, size[1] // 3, size[0] // 2, size[1] // 2), "navy"
    )
    return image


def encoded(fmt, size, kind):
    out = io.BytesIO()
    options = {"quality": 92} if fmt == "JPEG" else {"optimize": True}
    (camera_like if kind == "photo" else sparse)(size).save(out, fmt, **options)
    return out.getvalue()


def hidden_inputs(html):
    """The form's hidden fields (the inlines' management forms among them), as a browser sends them."""
    fields = {}
    for tag in re.findall(r"<input [^>]*>", html):
        if 'type="hidden"' in tag and (name := re.search(r'name="([^"]+)"', tag)):
            value = re.search(r'value="([^"]*)"', tag)
            fields[html_module.unescape(name[1])] = html_module.unescape(value[1]) if value else ""
    return fields


def measure_uploads(repeats=REPEATS):
    """Median seconds from the admin POST's start to its end, for each picture."""
    from django.core.signals import request_finished, request_started
    from django.test import override_settings

    clock = {}

    def started(**kwargs):
        clock["start"], clock["cpu_start"] = time.perf_counter(), time.process_time()

    def finished(**kwargs):
        clock["end"], clock["cpu_end"] = time.perf_counter(), time.process_time()

    media = tempfile.TemporaryDirectory(prefix="newsroom-bench-media-")
    request_started.connect(started)
    request_finished.connect(finished)
    try:
        with media, override_settings(MEDIA_ROOT=media.name, ALLOWED_HOSTS=["testserver"]):
            return {
                label: measure_upload(label, encoded(*picture), repeats, clock)
                for label, picture in PICTURES.items()
            }
    finally:
        request_started.disconnect(started)
        request_finished.disconnect(finished)


def measure_upload(label, content, repeats, clock):
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.test import Client

    from articles.models import Article
    from content.images import picture_files
    from newsroom.reversing import reverse

    url = reverse("admin:articles_article_add")
    fmt, size, _ = PICTURES[label]
    seconds, cpu, files = [], [], 0
    for attempt in range(repeats):
        with transaction.atomic():
            user = get_user_model().objects.create_superuser(
                f"bench-uploader-{attempt}", password="x" * 20
            )
            client = Client()
            client.force_login(user)
            data = {
                **hidden_inputs(client.get(url).content.decode()),
                "headline": "Upload benchmark",
                "slug": f"upload-benchmark-{label}-{attempt}",
                "hero_alt": "A colour field",
                "hero_image": SimpleUploadedFile(f"{label}.{fmt.lower()}", content),
            }
            response = client.post(url, data)
            if response.status_code != 302:
                errors = response.context["adminform"].form.errors
                raise RuntimeError(f"{label}: the upload was refused: {errors}")
            # The original, its renditions and its cuts to the shapes.
            files = len(picture_files(Article.objects.get(slug=data["slug"]).hero_renditions))
            seconds.append(clock["end"] - clock["start"])
            cpu.append(clock["cpu_end"] - clock["cpu_start"])
            transaction.set_rollback(True)
    return {
        "pixels": size[0] * size[1],
        "upload_bytes": len(content),
        "files_stored": files,
        "seconds_median": round(statistics.median(seconds), 3),
        "seconds_all": [round(s, 3) for s in seconds],
        # CPU time of the process: what the wall time is on an idle machine.
        "cpu_seconds_median": round(statistics.median(cpu), 3),
        "goal_met": statistics.median(seconds) <= GOAL_SECONDS,
    }


def print_uploads(figures):
    for label, figure in figures.items():
        print(
            f"{'met ' if figure['goal_met'] else 'MISS'}  upload {label} "
            f"({figure['upload_bytes'] / 1e6:.1f} MB) -> {figure['files_stored']} files stored: "
            f"{figure['seconds_median']:.2f} s, CPU {figure['cpu_seconds_median']:.2f} s "
            f"(goal <= {GOAL_SECONDS:.0f} s; runs {figure['seconds_all']})"
        )


def main():
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-uploads-") as folder:
        os.environ.update(
            DJANGO_SETTINGS_MODULE="newsroom.settings",
            DATABASE_URL=f"sqlite:///{folder}/uploads.sqlite3",
        )
        sys.path.insert(0, str(ROOT))
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        figures = measure_uploads()
    print_uploads(figures)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "uploads.json").write_text(json.dumps(figures, indent=2))
    print(f"wrote {out / 'uploads.json'}")


if __name__ == "__main__":
    main()
