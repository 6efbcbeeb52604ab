"""Reads about a member's own account: the "export my data" archive.

The archive holds one JSON array per entry of the parts registered in ``accounts.privacy`` (each
app describes what it stores about a member there), written straight into a temporary file row
by row from database iterators, so a large account never sits in memory as a whole, plus the
stored files the rows name and a README describing every entry.
"""

import json
import tempfile
from collections.abc import Iterable
from typing import IO
from zipfile import ZIP_DEFLATED, ZipFile

from django.core.files.storage import default_storage

from accounts import privacy
from accounts.models import User


def _write_list(archive: ZipFile, name: str, rows: Iterable[dict], files: list) -> None:
    """Write one JSON array into the archive, a row at a time, then the files its rows named.

    A zip takes one open entry at a time, so stored files collected while the rows were written
    (``files``: the list ``attach`` appends to) are copied once the JSON entry is closed.
    """
    with archive.open(name, "w") as out:
        out.write(b"[")
        for index, row in enumerate(rows):
            out.write(b",\n" if index else b"\n")
            out.write(json.dumps(privacy.json_row(row), ensure_ascii=False).encode())
        out.write(b"\n]\n")
    for stored_name, target in files:
        with default_storage.open(stored_name, "rb") as source, archive.open(target, "w") as dest:
            for chunk in iter(lambda: source.read(64 * 1024), b""):
                dest.write(chunk)


def _attacher(files: list) -> privacy.Attach:
    """An ``attach`` that queues stored files in ``files`` for the entry being written."""

    def attach(field_file, folder: str) -> str | None:
        if not field_file or not default_storage.exists(field_file.name):
            return None
        target = f"{folder}/{field_file.name.rsplit('/', 1)[-1]}"
        files.append((field_file.name, target))
        return target

    return attach


def write_export(user: User, out: IO[bytes]) -> None:
    """Write the member's data archive (zip) into a binary file object."""
    with ZipFile(out, "w", compression=ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", privacy.readme())
        for entry in privacy.entries():
            if entry.rows is None:
                continue  # a folder, filled by the entries that attach files to it
            files: list = []
            _write_list(archive, entry.name, entry.rows(user, _attacher(files)), files)


def export_file(user: User) -> IO[bytes]:
    """The archive in a temporary file (deleted when closed), rewound for streaming."""
    # Not a context manager: the caller streams the file and closes it (FileResponse does).
    out = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        write_export(user, out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out
