"""Where the Django admin's import keeps an upload between its preview and its
confirmation: a folder of its own, so that purge_personal_data can find and
delete the copies of files nobody confirmed (they hold NIKs and phones)."""

import os
import tempfile
import uuid

from django.conf import settings
from import_export.tmp_storages import TempFolderStorage


def import_temp_dir():
    return getattr(settings, "IMPORT_TEMP_DIR", None) or os.path.join(
        tempfile.gettempdir(), "pkk-training-imports"
    )


class ImportTempStorage(TempFolderStorage):
    def get_full_path(self):
        return os.path.join(import_temp_dir(), os.path.basename(self.name))

    def _open(self, mode="r"):
        if not self.name:
            folder = import_temp_dir()
            os.makedirs(folder, mode=0o700, exist_ok=True)
            self.name = uuid.uuid4().hex
            # Only the app's user may read it.
            fd = os.open(self.get_full_path(), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            return os.fdopen(fd, "wb")  # like TempFolderStorage's first write: bytes
        return open(self.get_full_path(), mode, encoding=self.encoding)
