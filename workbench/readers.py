"""Read one file of a supported format into text, detecting its encoding.

The only module that knows file formats. Source files are opened read-only.
"""
from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import CorpusError

log = logging.getLogger("workbench")

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Legacy Chinese encodings we accept; GB18030 is a superset of GBK and GB2312.
_CHINESE_ENCODINGS = ("gb18030", "big5")


@dataclass(frozen=True)
class RawDocument:
    """Text of one file as read, before any cleaning."""

    path: Path
    text: str
    encoding: str  # detected text encoding, or "docx" / "pdf" for container formats
    format: str  # file suffix without the dot


def read_document(path: str | Path) -> RawDocument:
    """Read a ``.txt``/``.md``/``.docx``/``.pdf`` file.

    Raises
    ------
    CorpusError
        When the file is missing, empty, binary, undecodable or of an unsupported format.
    """
    path = Path(path)
    if not path.exists():
        raise CorpusError(path, "no such file")
    if not path.is_file():
        raise CorpusError(path, "not a regular file")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise CorpusError(path, f"unsupported file type {suffix or '(none)'!r}; supported: {', '.join(SUPPORTED_SUFFIXES)}")
    if path.stat().st_size == 0:
        raise CorpusError(path, "the file is empty")
    if suffix == ".docx":
        text, encoding = _read_docx(path), "docx"
    elif suffix == ".pdf":
        text, encoding = _read_pdf(path), "pdf"
    else:
        text, encoding = decode_bytes(path.read_bytes(), path=path)
    if not text.strip():
        raise CorpusError(path, "the file has no text (only whitespace)")
    return RawDocument(path=path, text=text, encoding=encoding, format=suffix.lstrip("."))


def decode_bytes(data: bytes, *, path: str | Path | None = None) -> tuple[str, str]:
    """Decode bytes of a text file; return ``(text, encoding)``.

    Order: a byte-order mark (UTF-8/16/32); strict UTF-8; UTF-16 without BOM;
    then GB18030 (GBK) or Big5, chosen by ``charset_normalizer`` among the
    candidates that decode without error.
    """
    if not data:
        raise CorpusError(path, "the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _check_text(data.decode(encoding), encoding, path), encoding
    try:
        return _check_text(data.decode("utf-8"), "utf-8", path), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    if b"\x00" in data:
        best = from_bytes(data, cp_isolation=["utf_16_le", "utf_16_be"]).best()
        if best is None:
            raise CorpusError(path, "looks like a binary file (it contains NUL bytes), not text")
        return _check_text(str(best), best.encoding, path), best.encoding
    candidates = []
    for encoding in _CHINESE_ENCODINGS:
        try:
            data.decode(encoding)
            candidates.append(encoding)
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise CorpusError(path, "cannot decode the bytes as UTF-8, UTF-16, GB18030/GBK or Big5; save it as UTF-8")
    encoding = candidates[0]
    if len(candidates) > 1:
        best = from_bytes(data, cp_isolation=list(candidates)).best()
        if best is not None:
            encoding = _canonical(best.encoding)
    return _check_text(data.decode(encoding), encoding, path), encoding


def _canonical(name: str) -> str:
    name = codecs.lookup(name).name
    return {"gbk": "gb18030", "gb2312": "gb18030", "big5hkscs": "big5", "cp950": "big5"}.get(name, name)


# Unicode categories Cc (but \t\n\v\f\r), Cs and Co: control, surrogate and private-use code points
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")


def _check_text(text: str, encoding: str, path) -> str:
    """Reject text that is mostly control characters (a binary file that happened to decode)."""
    sample = text[:20000]
    if not sample:
        return text
    controls = len(_CONTROL.findall(sample))
    if controls / len(sample) > 0.01:
        raise CorpusError(path, f"looks like a binary file, not text ({controls} control characters decoding as {encoding})")
    return text


def _read_docx(path: Path) -> str:
    import zipfile

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise CorpusError(path, f"not a valid .docx file ({exc})") from exc
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise CorpusError(path, f"not a readable PDF ({exc})") from exc
    if not any(p.strip() for p in pages):
        raise CorpusError(path, "the PDF has no text layer (a scan?); run OCR first and load the text")
    # A blank line marks each page break; cleaning drops it when a sentence runs across pages.
    return "\n\n".join(pages)
