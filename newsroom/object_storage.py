"""Media in an S3-compatible bucket (django-storages), shared by every app server.

Chosen by ``NEWSROOM_S3_BUCKET`` (newsroom/storage_settings.py). Pictures and their renditions are
written here through the same storage API as on local disk; pages only build their URLs.
"""

import errno
from contextlib import contextmanager

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError
from storages.backends.s3 import S3Storage

# What the store said, as the errno a disk would have given: the picture code tells the editor
# the reason from it ("not allowed to write picture files", "the storage reported a fault").
REFUSALS = {
    "AccessDenied": errno.EACCES,
    "AllAccessDisabled": errno.EACCES,
    "InvalidAccessKeyId": errno.EACCES,
    "SignatureDoesNotMatch": errno.EACCES,
}

# botocore waits 60 s to connect and 60 s per read, five times over; a store that has gone away
# should fail the upload (a form error) before gunicorn's 30-second timeout kills the worker.
PATIENCE = Config(
    connect_timeout=3, read_timeout=10, retries={"mode": "standard", "max_attempts": 2}
)


@contextmanager
def _as_os_error():
    """The store's errors as ``OSError``, the one kind of error Django's storages raise."""
    try:
        yield
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        raise OSError(REFUSALS.get(code, errno.EIO), f"object storage: {error}") from error
    except NoCredentialsError as error:
        raise OSError(errno.EACCES, f"object storage: {error}") from error
    except BotoCoreError as error:
        raise OSError(errno.EIO, f"object storage: {error}") from error


class ObjectStorage(S3Storage):
    """An S3 bucket that behaves, for the picture code, like the local ``WholeFileStorage``.

    Whole files only: on disk a file is written under a temporary name and renamed, so that an
    interrupted write never shows under the real name. S3 has no rename, and needs none: a PUT
    makes its object appear whole or not at all, and a multipart upload (used above 8 MB) only
    when it is completed; boto3 aborts an upload that fails part-way. So the real key is written
    directly; a temporary key and a copy would double the requests and add nothing.

    Unique names, as on disk: a second "photo.jpg" gets a new name instead of replacing the first
    (django-storages would overwrite it). The lookups that costs happen on upload only.

    Public, unsigned URLs from the public address: see newsroom/storage_settings.py.
    """

    querystring_auth = False
    file_overwrite = False
    # A name is used for one picture; when a removed picture's name comes free and is used again
    # by a new upload, browsers and CDNs may show the old one for up to a day.
    object_parameters = {"CacheControl": "public, max-age=86400"}

    def __init__(self, **options):
        super().__init__(**options)
        # Set here, after django-storages has built the config holding the addressing style.
        self.client_config = self.client_config.merge(PATIENCE)

    def _save(self, name, content):
        with _as_os_error():
            return super()._save(name, content)

    def delete(self, name):
        with _as_os_error():
            return super().delete(name)

    def exists(self, name):
        with _as_os_error():
            return super().exists(name)
