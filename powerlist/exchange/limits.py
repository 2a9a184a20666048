"""What ``powerlist import`` is willing to spend on its input, and the bounded reading of input files.

Every file the importer reads goes through the project's one reader, :func:`powerlist.source.files.read_regular`
(regular files only: a FIFO or a device would block or never end; read up to a size limit): the sheet and the
``--mapping`` file through :func:`read_input`, which words a refusal for the importer's user; the department's
existing items and ``laws/`` as the loader reads them. A real city list (9,000 rows × 20 columns with long 实施依据
cells: a 2-4 MB workbook) stays far below every limit here; a workbook made to exhaust memory or time meets one
of them first and gets a message that names the limit.
"""
from __future__ import annotations

from pathlib import Path

from ..model.errors import UsageError
from ..source.files import FOLDER, GREW, MISSING, SPECIAL, TOO_LARGE, FileRefused, read_regular

MIB = 1024 * 1024

#: the sheet given to ``powerlist import`` (.xlsx or .csv), bytes on disk
MAX_INPUT_BYTES = 64 * MIB
#: XLSX: entries in the zip archive
MAX_ZIP_ENTRIES = 10_000
#: XLSX: uncompressed size of the worksheet part read, and of the shared-strings part
MAX_SHEET_PART_BYTES = 128 * MIB
#: XLSX: uncompressed size of each other part read ([Content_Types].xml, workbook.xml, its rels, styles.xml)
MAX_OTHER_PART_BYTES = 16 * MIB
#: XLSX: uncompressed ÷ compressed size of a part read, checked for parts over 1 MiB (zip bombs; real sheets
#: compress 5-20 times)
MAX_COMPRESSION_RATIO = 100
#: XLSX: sheets listed in workbook.xml
MAX_SHEETS = 1_000
#: XLSX: the longest XML tag, comment or processing instruction (the XML parser openpyxl streams sheets with
#: re-scans a token that spans its 16 KiB reads, so its time grows with the square of the token's length)
MAX_MARKUP_BYTES = 256 * 1024
#: XLSX: cell elements in the worksheet XML (formatted empty cells count too); openpyxl reads ~100,000 a second
MAX_XML_CELLS = 1_000_000
#: XLSX: strings in the shared-strings part (openpyxl reads ~100,000 a second)
MAX_SHARED_STRINGS = 1_000_000
#: XLSX: XML tags ('<') in each part other than the worksheet and shared strings (openpyxl makes an object of
#: each element: ~25,000 a second and ~2 KB each; Excel's maximum of 64,000 cell formats takes ~130,000 in
#: styles.xml)
MAX_OTHER_PART_TAGS = 150_000
#: rows holding data (XLSX and CSV)
MAX_ROWS = 50_000
#: columns holding data (XLSX and CSV)
MAX_COLUMNS = 256
#: the used area, rows × columns, up to the last row and column holding data
MAX_CELLS = 2_000_000
#: XLSX: merged ranges in the sheet
MAX_MERGED_RANGES = 100_000
#: characters in one cell (Excel's own limit); a longer cell makes its row need attention
MAX_CELL_CHARS = 32_767
#: the --mapping file, bytes, and its entries
MAX_MAPPING_BYTES = 1 * MIB
MAX_MAPPING_ENTRIES = 1_000
#: citations in one 实施依据 cell
MAX_BASIS_PARTS = 200

#: Excel's own sheet size
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384


def size_text(n: int) -> str:
    """A limit in bytes as people say it: 64 MiB, 256 KiB, 900 bytes."""
    if n >= MIB and n % MIB == 0:
        return f"{n // MIB} MiB"
    if n >= 1024 and n % 1024 == 0:
        return f"{n // 1024} KiB"
    return f"{n:,} bytes"


class InputRefused(UsageError):
    """A file that is not read (missing, not a regular file, too big); ``reason`` says why without the path."""

    def __init__(self, path: str | Path, reason: str, message: str | None = None):
        self.reason = reason
        super().__init__(message or f"{path}: {reason}")


def read_input(path: str | Path, limit: int, what: str = "file") -> bytes:
    """The bytes of an input file (the sheet, the --mapping file): a regular file of at most ``limit`` bytes;
    :class:`InputRefused` (a UsageError naming the file and the reason) for anything else."""
    try:
        return read_regular(path, limit)
    except FileRefused as exc:
        raise input_refused(path, exc, what) from None


def input_refused(path: str | Path, exc: FileRefused, what: str = "file") -> InputRefused:
    """How the importer words a refused input file (``what``: "file", "mapping file")."""
    limit = size_text(exc.limit)
    if exc.reason == MISSING:
        return InputRefused(path, "not found", f"{what} not found: {path}")
    if exc.reason == FOLDER:
        return InputRefused(path, f"is a folder; give the {what} itself")
    if exc.reason == SPECIAL:
        return InputRefused(path, "is not a regular file (a device, FIFO or socket); only regular files are read")
    if exc.reason == TOO_LARGE:
        return InputRefused(path, f"the {what} is {exc.size:,} bytes; at most {limit} is read")
    if exc.reason == GREW:
        return InputRefused(path, f"the {what} is more than {limit}; at most {limit} is read")
    return InputRefused(path, f"cannot be read: {exc.strerror}")
