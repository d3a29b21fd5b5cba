"""Media on local disk, written so that a file appears whole or not at all."""

import secrets

from django.core.files.storage import FileSystemStorage


class _FileOnDisk:
    """Content already written to disk: FileSystemStorage moves such a file instead of copying."""

    def __init__(self, path):
        self.path = path

    def temporary_file_path(self):
        return self.path


class WholeFileStorage(FileSystemStorage):
    """FileSystemStorage that never leaves a partly written file under a real name.

    Django's storage writes straight into the final name, so a write that stops part-way (a full
    disk, an I/O error) leaves a truncated file there that looks like a stored picture. Here the
    bytes go to a temporary name beside it first; the finished file is then renamed into place,
    which within one folder is all or nothing, and the temporary file is removed whatever happened.
    """

    def _save(self, name, content):
        # The random part means no other file holds this name, so it is the one to remove.
        partial = f"{name}.{secrets.token_hex(8)}.part"
        try:
            partial = super()._save(partial, content)
            return super()._save(name, _FileOnDisk(self.path(partial)))
        finally:
            self.delete(partial)
