"""Byte-stable Office files: the same data gives the same bytes.

python-docx and openpyxl stamp every zip entry with the clock; rewriting the archive with
one fixed timestamp (the document's own date) makes two renders of the same data equal.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

# The zip format cannot hold dates before 1980.
_EARLIEST = (1980, 1, 1, 0, 0, 0)


def stamp(when: date) -> tuple[int, int, int, int, int, int]:
    """The zip timestamp for ``when`` (midnight), never before 1980."""
    return max(_EARLIEST, (when.year, when.month, when.day, 0, 0, 0))


def rewrite_zip(data: bytes, when: date, replace: dict[str, bytes] | None = None) -> bytes:
    """``data`` (a zip) with every entry stamped ``when``; entries in ``replace`` swapped."""
    replace = replace or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp(when))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, replace.get(info.filename, source.read(info.filename)))
    return out.getvalue()
