"""Uploads when the storage fails: a clear form error, no row naming a missing file, no stray file.

The fault is injected under Django's FileSystemStorage, at the operating-system calls it writes
with: the chosen file gets half its bytes and then the write fails, as on a full disk, so a
truncated file really is left on disk unless the code removes it.
"""

import errno
import io
import os

import pytest
from django.core.files.storage import default_storage
from django.core.files.storage import filesystem as filesystem_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from PIL import Image
from reversion.models import Version

from articles.models import Article
from authors.models import Author
from content.images import StorageFailure
from tests.articles.admin.admin_data import article_form_data
from tests.factories import make_article, make_author

# A 700×400 picture: the original, six renditions (320, 640 and 700 wide, in WebP and JPEG) and
# fourteen of its cuts: wide 640 and 700, landscape 320 and 533, square 160, 320 and 400.
FILES_PER_PICTURE = 21


def picture(name="harbour.png", colour=(30, 90, 160)):
    out = io.BytesIO()
    Image.new("RGB", (700, 400), colour).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), "image/png")


class _HalfWrite:
    """A file on the full disk: the first write keeps half its bytes, then fails."""

    def __init__(self, file, number):
        self._file, self._number = file, number

    def write(self, data):
        self._file.write(data[: len(data) // 2])
        self._file.flush()
        raise OSError(self._number, os.strerror(self._number))

    def close(self):
        self._file.close()


class StorageFault:
    """Stands in for the ``os`` module of Django's file storage, failing one file's write.

    ``file_number`` counts the files the storage opens for writing (1 is the uploaded original,
    2 and on are its renditions). ``at_open`` fails the opening itself, as a folder the server
    may not write to does; otherwise the file is created and the write stops half-way.
    """

    def __init__(self, *, file_number, error_number, at_open=False):
        self.file_number, self.error_number, self.at_open = file_number, error_number, at_open
        self.opened = 0
        self.failed = False
        self._doomed = set()

    def __getattr__(self, name):
        return getattr(os, name)

    def open(self, path, flags, mode=0o777):
        self.opened += 1
        if self.opened == self.file_number and not self.failed:
            self.failed = True
            if self.at_open:
                raise OSError(self.error_number, os.strerror(self.error_number), path)
            fd = os.open(path, flags, mode)
            self._doomed.add(fd)
            return fd
        return os.open(path, flags, mode)

    def fdopen(self, fd, mode):
        file = os.fdopen(fd, mode)
        return _HalfWrite(file, self.error_number) if fd in self._doomed else file


FAULTS = {
    "disk full": ({"error_number": errno.ENOSPC}, "the server is out of space"),
    "permission denied": (
        {"error_number": errno.EACCES, "at_open": True},
        "the server is not allowed to write picture files",
    ),
    "input/output error": ({"error_number": errno.EIO}, "the server's storage reported a fault"),
}
WHERE = {"original": 1, "first rendition": 2, "fifth rendition": 6}


@pytest.fixture(params=[(fault, where) for fault in FAULTS for where in WHERE], ids=" / ".join)
def fault(request, monkeypatch):
    """Breaks one storage write; ``fault.clear()`` mends the storage, ``fault.arm()`` breaks it."""
    name, where = request.param
    options, reason = FAULTS[name]
    injected = StorageFault(file_number=WHERE[where], **options)
    injected.reason = reason
    injected.arm = lambda: monkeypatch.setattr(filesystem_storage, "os", injected)
    injected.clear = lambda: monkeypatch.setattr(filesystem_storage, "os", os)
    injected.arm()
    return injected


def files_on_disk(settings):
    root = settings.MEDIA_ROOT
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def picture_files(fieldfile, renditions):
    """The original and every rendition a stored picture's row names, its cuts' too."""
    described = [renditions, *renditions.get("shapes", {}).values()]
    return {fieldfile.name} | {
        r["name"] for each in described for kind in ("webp", "jpeg") for r in each[kind]
    }


def assert_refused(response, field, fault):
    assert response.status_code == 200
    form = response.context["adminform"].form
    (message,) = form.errors[field]
    assert message.startswith(f"The picture could not be stored: {fault.reason}.")
    assert "Nothing was saved" in message
    assert fault.failed, "the fault was never reached"
    return form


# Stories.


def story_data(article=None, **fields):
    typed = {
        "headline": "Harbour reopens",
        "slug": "harbour-reopens",
        "dek": "Ferries sail again after the storm.",
        "hero_alt": "The quay at dawn",
    }
    return article_form_data(article, **{**typed, **fields})


def test_a_new_story_whose_picture_cannot_be_stored(admin_client, settings, caplog, fault):
    url = reverse("admin:articles_article_add")

    response = admin_client.post(url, {**story_data(), "hero_image": picture()})

    form = assert_refused(response, "hero_image", fault)
    # The editor reads plain words; the log keeps the cause for whoever looks after the server.
    assert os.strerror(fault.error_number) not in response.content.decode()
    assert f"hero_image: [Errno {fault.error_number}]" in caplog.text
    assert not Article.objects.exists()
    assert files_on_disk(settings) == set()
    # What the editor typed comes back; only the picture must be chosen again.
    assert form["headline"].value() == "Harbour reopens"
    assert form["dek"].value() == "Ferries sail again after the storm."
    html = response.content.decode()
    assert 'value="Harbour reopens"' in html
    assert "Ferries sail again after the storm.</textarea>" in html

    fault.clear()
    response = admin_client.post(url, {**story_data(), "hero_image": picture()})

    assert response.status_code == 302
    article = Article.objects.get()
    assert files_on_disk(settings) == picture_files(article.hero_image, article.hero_renditions)
    assert len(files_on_disk(settings)) == FILES_PER_PICTURE


def test_replacing_a_story_picture_that_cannot_be_stored(admin_client, settings, fault):
    fault.clear()
    admin_client.post(
        reverse("admin:articles_article_add"),
        {**story_data(), "hero_image": picture("old.png", (200, 40, 40))},
    )
    article = Article.objects.get()
    before = files_on_disk(settings)
    assert before == picture_files(article.hero_image, article.hero_renditions)
    stored = Article.objects.filter(pk=article.pk).values().get()
    versions = Version.objects.get_for_object(article).count()
    url = reverse("admin:articles_article_change", args=[article.pk])
    edited = story_data(article, headline="Harbour reopens at last", dek="All ferries sail.")
    fault.arm()

    response = admin_client.post(url, {**edited, "hero_image": picture("new.png")})

    form = assert_refused(response, "hero_image", fault)
    assert Article.objects.filter(pk=article.pk).values().get() == stored
    assert Version.objects.get_for_object(article).count() == versions  # no history entry either
    assert files_on_disk(settings) == before
    assert form["headline"].value() == "Harbour reopens at last"
    assert form["dek"].value() == "All ferries sail."

    fault.clear()
    response = admin_client.post(url, {**edited, "hero_image": picture("new.png")})

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "Harbour reopens at last"
    assert article.hero_image.name.endswith("/new.png")
    new = picture_files(article.hero_image, article.hero_renditions)
    assert files_on_disk(settings) == before | new
    assert len(new) == FILES_PER_PICTURE


def test_a_preview_whose_picture_cannot_be_stored(admin_client, settings, fault):
    url = reverse("admin:articles_article_preview_new")

    response = admin_client.post(url, {**story_data(), "hero_image": picture(), "_preview": "1"})

    assert response.status_code == 400
    (message,) = response.context["form"].errors["hero_image"]
    assert message.startswith(f"The picture could not be stored: {fault.reason}.")
    assert escape(message) in response.content.decode()
    assert not Article.objects.exists()
    assert files_on_disk(settings) == set()


# Author photos.


def author_data(**fields):
    typed = {
        "name": "Ada Reyes",
        "slug": "ada-reyes",
        "job_title": "Harbour correspondent",
        "bio": "Covers ports.",
        "is_active": "on",
        "social_links": "",
    }
    return {**typed, **fields}


def test_a_new_author_whose_photo_cannot_be_stored(admin_client, settings, fault):
    url = reverse("admin:authors_author_add")

    response = admin_client.post(url, author_data(photo=picture("ada.png")))

    form = assert_refused(response, "photo", fault)
    assert not Author.objects.exists()
    assert files_on_disk(settings) == set()
    assert form["name"].value() == "Ada Reyes"
    assert form["job_title"].value() == "Harbour correspondent"

    fault.clear()
    response = admin_client.post(url, author_data(photo=picture("ada.png")))

    assert response.status_code == 302
    author = Author.objects.get()
    assert files_on_disk(settings) == picture_files(author.photo, author.photo_renditions)


def test_replacing_an_author_photo_that_cannot_be_stored(admin_client, settings, fault):
    fault.clear()
    admin_client.post(
        reverse("admin:authors_author_add"), author_data(photo=picture("old.png", (9, 9, 9)))
    )
    author = Author.objects.get()
    before = files_on_disk(settings)
    stored = Author.objects.filter(pk=author.pk).values().get()
    url = reverse("admin:authors_author_change", args=[author.pk])
    fault.arm()

    response = admin_client.post(url, author_data(job_title="Ports editor", photo=picture()))

    form = assert_refused(response, "photo", fault)
    assert Author.objects.filter(pk=author.pk).values().get() == stored
    assert files_on_disk(settings) == before
    assert form["job_title"].value() == "Ports editor"

    fault.clear()
    response = admin_client.post(url, author_data(job_title="Ports editor", photo=picture()))

    assert response.status_code == 302
    author.refresh_from_db()
    assert author.job_title == "Ports editor"
    assert files_on_disk(settings) == before | picture_files(author.photo, author.photo_renditions)


# Below the admin: the storage and the models keep the same promises for any caller.


@pytest.mark.parametrize("error_number", [errno.ENOSPC, errno.EIO])
def test_a_failed_write_leaves_no_partial_file(settings, monkeypatch, error_number):
    monkeypatch.setattr(
        filesystem_storage, "os", StorageFault(file_number=1, error_number=error_number)
    )

    with pytest.raises(OSError) as failure:
        default_storage.save("heroes/cut.jpg", io.BytesIO(b"x" * 10_000))

    assert failure.value.errno == error_number
    assert files_on_disk(settings) == set()


def test_a_story_saved_in_code_is_rolled_back_with_its_picture(db, settings, monkeypatch):
    article = make_article(headline="Before")
    monkeypatch.setattr(
        filesystem_storage, "os", StorageFault(file_number=4, error_number=errno.ENOSPC)
    )
    article.headline = "After"
    article.hero_image = picture()

    with pytest.raises(StorageFailure) as failure:
        article.save()

    assert failure.value.field_name == "hero_image"
    assert isinstance(failure.value.__cause__, OSError)
    stored = Article.objects.get(pk=article.pk)
    assert (stored.headline, stored.hero_image.name, stored.hero_renditions) == ("Before", "", {})
    assert files_on_disk(settings) == set()
    # The instance still holds the upload, unwritten: saving again once there is room stores it.
    monkeypatch.setattr(filesystem_storage, "os", os)
    article.save()
    stored.refresh_from_db()
    assert stored.headline == "After"
    assert files_on_disk(settings) == picture_files(stored.hero_image, stored.hero_renditions)
    assert len(files_on_disk(settings)) == FILES_PER_PICTURE


def test_an_author_saved_in_code_is_rolled_back_with_the_photo(db, settings, monkeypatch):
    author = make_author(job_title="Before")
    monkeypatch.setattr(
        filesystem_storage, "os", StorageFault(file_number=1, error_number=errno.EDQUOT)
    )
    author.job_title = "After"
    author.photo = picture()

    with pytest.raises(StorageFailure) as failure:
        author.save()

    assert "the server is out of space" in failure.value.message
    author.refresh_from_db()
    assert (author.job_title, author.photo.name) == ("Before", "")
    assert files_on_disk(settings) == set()
