"""Read one file of a supported format into text, detecting its encoding.

The only module that knows document file formats (tables of documents are read by
:mod:`workbench.tables`). Source files are opened read-only. Every failure to read
one file, whatever the library underneath raised, becomes a
:class:`~workbench.errors.CorpusError` naming the file, so ``errors="skip"`` can
skip it.
"""
from __future__ import annotations

import codecs
import logging
import os
import re
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import CorpusError

log = logging.getLogger("workbench")

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")
# A .docx whose parts unpack to more than this is refused (a zip bomb, not a report).
DOCX_MAX_UNPACKED_BYTES = 512 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BOM_NAMES = {"utf-32": "UTF-32", "utf-8-sig": "UTF-8", "utf-16": "UTF-16"}
# Legacy Chinese encodings we accept; GB18030 is a superset of GBK and GB2312.
_CHINESE_ENCODINGS = ("gb18030", "big5")


@dataclass(frozen=True)
class RawDocument:
    """Text of one file as read, before any cleaning."""

    path: Path
    text: str
    encoding: str  # detected text encoding, or "docx" / "pdf" for container formats
    format: str  # file suffix without the dot
    # What the file itself says about the document, for metadata inference: a web page's
    # own ``title``, ``date`` (YYYY-MM-DD) and ``source`` (site name). Empty for other formats.
    evidence: dict = field(default_factory=dict)


def check_regular_file(path: str | Path) -> Path:
    """Return ``path`` as a Path if it names a readable regular file; raise CorpusError if not.

    Call it before opening or hashing a file: reading a FIFO or a device blocks or never ends.

    Examples
    --------
    >>> check_regular_file("/dev/null")
    Traceback (most recent call last):
    ...
    workbench.errors.CorpusError: /dev/null: not a regular file (a character device)
    """
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise CorpusError(path, "no such file") from None
    except OSError as exc:
        raise CorpusError(path, f"cannot read the file ({exc.strerror or exc})") from None
    if not stat.S_ISREG(mode):
        raise CorpusError(path, f"not a regular file ({_file_kind(mode)})")
    if not os.access(path, os.R_OK):
        raise CorpusError(path, "cannot read the file (permission denied)")
    return path


def _file_kind(mode: int) -> str:
    for test, kind in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return kind
    return "not a file"


def read_document(path: str | Path) -> RawDocument:
    """Read a ``.txt``/``.md``/``.docx``/``.pdf``/``.html``/``.htm`` file.

    A web page gives its main text (navigation, breadcrumbs, share bars and footers
    left out, by ``trafilatura``) and keeps the page's own title and date in
    ``evidence``.

    Raises
    ------
    CorpusError
        When the file is missing, not a regular file, unreadable, empty, binary,
        undecodable, of an unsupported format, or cannot be read by the library
        of its format (corrupt, hostile or too large), always naming the file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "plan.txt").write_text("到2025年，城镇化率达到65%。", encoding="gbk")
    >>> doc = read_document(folder / "plan.txt")
    >>> doc.text, doc.encoding
    ('到2025年，城镇化率达到65%。', 'gb18030')
    """
    path = Path(path)
    suffix = path.suffix.lower()
    check_regular_file(path)
    if suffix not in SUPPORTED_SUFFIXES:
        raise CorpusError(path, f"unsupported file type {suffix or '(none)'!r}; supported: {', '.join(SUPPORTED_SUFFIXES)}")
    if path.stat().st_size == 0:
        raise CorpusError(path, "the file is empty")
    evidence: dict = {}
    try:
        if suffix == ".docx":
            text, encoding = _read_docx(path), "docx"
        elif suffix == ".pdf":
            text, encoding = _read_pdf(path), "pdf"
        elif suffix in (".html", ".htm"):
            text, encoding, evidence = _read_html(path)
        else:
            text, encoding = read_text_file(path)
    except CorpusError:
        raise
    except OSError as exc:
        raise CorpusError(path, f"cannot read the file ({exc.strerror or exc})") from exc
    except Exception as exc:  # noqa: BLE001 - any failure of a format library is this file's problem
        raise CorpusError(path, f"cannot read the {suffix} file ({type(exc).__name__}: {exc})") from exc
    if not text or text.isspace():  # (not text.strip(): no copy of the whole text)
        raise CorpusError(path, "the file has no text (only whitespace)")
    return RawDocument(path=path, text=text, encoding=encoding, format=suffix.lstrip("."), evidence=evidence)


_READ_BLOCK = 1 << 20  # bytes read and decoded at once (read_text_file)


def read_text_file(path: str | Path) -> tuple[str, str]:
    """A text file's text and encoding, as :func:`decode_bytes` of its bytes gives them.

    A UTF-8 file (with or without a byte-order mark, the usual case) of more than 1 MB is
    read and decoded a block of 1 MB at a time: memory holds the decoded pieces and then
    the text, not the bytes beside them, nor the buffers CPython's decoder allocates for a
    whole file (it sizes them by the number of bytes, in the widest character kind it
    meets: four times the text for Chinese). Any other file is decoded whole by
    :func:`decode_bytes`.

    >>> import tempfile, pathlib
    >>> file = pathlib.Path(tempfile.mkdtemp()) / "plan.txt"
    >>> _ = file.write_bytes(codecs.BOM_UTF8 + "到2025年，城镇化率达到65%。".encode())
    >>> read_text_file(file)
    ('到2025年，城镇化率达到65%。', 'utf-8-sig')
    """
    pieces = []
    with Path(path).open("rb") as fh:
        block = fh.read(max(_READ_BLOCK, 4))  # (a byte-order mark is in the first block)
        more = fh.read(_READ_BLOCK) if block else b""
        if not more or any(block.startswith(bom) for bom, _ in _BOMS if bom != codecs.BOM_UTF8):
            return decode_bytes(block if not more else block + more + fh.read(), path=path)  # a small file: whole
        encoding = "utf-8-sig" if block.startswith(codecs.BOM_UTF8) else "utf-8"
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while True:
                piece = decoder.decode(block, final=not more)
                if piece:
                    pieces.append(piece)
                if not more:
                    break
                block, more = more, fh.read(_READ_BLOCK)
        except UnicodeDecodeError:
            del pieces, block, more
            fh.seek(0)
            return decode_bytes(fh.read(), path=path)  # its error, or another encoding
    text = "".join(pieces) if len(pieces) != 1 else pieces[0]  # (a byte-order mark alone: no text)
    del pieces
    return _check_text(text, encoding, path), encoding


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
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:  # the offset in the file (utf-8-sig counts from after the BOM)
                at = exc.start + (len(bom) if encoding == "utf-8-sig" else 0)
                raise CorpusError(path, f"starts with a {_BOM_NAMES[encoding]} byte-order mark, but byte {at} is not "
                                        f"valid {_BOM_NAMES[encoding]} ({exc.reason}); save it again as UTF-8") from None
            return _check_text(text, encoding, path), encoding
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


def _control_count(sample: str) -> int:
    """How many characters of :data:`_CONTROL` the sample holds: a look-up per code point in a table of
    the Basic Multilingual Plane (a search of the class costs several times more per character)."""
    import numpy as np

    codes = np.frombuffer(sample.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    count = int(_control_table()[np.minimum(codes, 0xFFFF)].sum())  # U+FFFF is none: the planes above count apart
    if len(codes) and codes.max() > 0xFFFF:
        count += int(((codes >= 0xF0000) & (codes <= 0x10FFFD) & ((codes <= 0xFFFFD) | (codes >= 0x100000))).sum())
    return count


@lru_cache(maxsize=1)
def _control_table():
    """Which characters of the Basic Multilingual Plane :data:`_CONTROL` matches."""
    import numpy as np

    return np.array([_CONTROL.match(chr(c)) is not None for c in range(0x10000)], dtype=bool)


def _check_text(text: str, encoding: str, path) -> str:
    """Reject text that is mostly control characters (a binary file that happened to decode)."""
    sample = text[:20000]
    if not sample:
        return text
    controls = _control_count(sample)
    if controls / len(sample) > 0.01:
        raise CorpusError(path, f"looks like a binary file, not text ({controls} control characters decoding as {encoding})")
    return text


def _read_docx(path: Path) -> str:
    import zipfile

    from docx import Document

    try:
        with zipfile.ZipFile(path) as archive:
            _check_docx_parts(path, archive)
        document = Document(str(path))
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                parts.append("\t".join(cell.text for cell in row.cells))
    except CorpusError:
        raise
    except Exception as exc:  # noqa: BLE001 - zipfile, lxml and python-docx raise many kinds
        raise CorpusError(path, f"not a valid .docx file ({type(exc).__name__}: {exc})") from exc
    return "\n".join(parts)


def _check_docx_parts(path: Path, archive) -> None:
    """Refuse a .docx that unpacks to too much, or whose XML declares a DOCTYPE.

    Word never writes a DOCTYPE; one in a .docx declares entities, which python-docx
    leaves unexpanded, silently dropping the text after each reference (or, for an
    entity bomb, fails deep inside lxml).
    """
    from lxml import etree

    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > DOCX_MAX_UNPACKED_BYTES:
        raise CorpusError(path, f"not a valid .docx file: its parts unpack to {unpacked:,} bytes "
                                f"(more than {DOCX_MAX_UNPACKED_BYTES:,}; a zip bomb?)")
    for info in archive.infolist():
        if not info.filename.endswith((".xml", ".rels")):
            continue
        parser = etree.XMLPullParser(events=("start",), resolve_entities=False, load_dtd=False, no_network=True)
        with archive.open(info) as fh:
            while chunk := fh.read(16384):
                try:
                    parser.feed(chunk)
                except etree.XMLSyntaxError as exc:
                    raise CorpusError(path, f"not a valid .docx file: {info.filename} is not well-formed XML ({exc})") from exc
                root = next((element for _event, element in parser.read_events()), None)
                if root is not None:
                    if root.getroottree().docinfo.internalDTD is not None or root.getroottree().docinfo.doctype:
                        raise CorpusError(path, f"not a valid .docx file: {info.filename} declares a DOCTYPE "
                                                "(entity definitions), which Word never writes")
                    break


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except LimitReachedError as exc:
        raise CorpusError(path, f"the PDF exceeds pypdf's safety limits (a decompression bomb?): {exc}") from exc
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on a damaged file
        raise CorpusError(path, f"not a readable PDF ({type(exc).__name__}: {exc})") from exc
    if not any(p.strip() for p in pages):
        raise CorpusError(path, "the PDF has no text layer (a scan?); run OCR first and load the text")
    # A blank line marks each page break; cleaning drops it when a sentence runs across pages.
    return "\n\n".join(pages)


# A date labelled as the page's own on Chinese government sites (发布时间：2024年01月22日), which
# htmldate does not read; only the labelled one, never a date guessed from the article.
_LABELLED_DATE = re.compile(
    r"(?:发布时间|发布日期|发文日期|成文日期|公开日期|日期|时间)\s*[:：]\s*"
    r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
)
_TAG = re.compile(r"<[^>]*>")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode_html(data: bytes, *, path: str | Path | None = None) -> tuple[str, str]:
    """Decode a web page's bytes: its byte-order mark, else the charset its ``<meta>`` declares
    (GB2312/GBK read as their superset GB18030), else as :func:`decode_bytes` does.

    Examples
    --------
    >>> page = '<meta charset="gb2312"><p>城镇化率</p>'.encode("gb2312")
    >>> decode_html(page)
    ('<meta charset="gb2312"><p>城镇化率</p>', 'gb18030')
    """
    if not any(data.startswith(bom) for bom, _encoding in _BOMS):
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            try:
                encoding = _canonical(declared.group(1).decode("ascii"))
                return _check_text(data.decode(encoding), encoding, path), encoding
            except (LookupError, UnicodeDecodeError):
                log.info("%s: the page's declared charset %r does not decode it; detecting the encoding",
                         path, declared.group(1).decode("ascii", "replace"))
    return decode_bytes(data, path=path)


def _read_html(path: Path) -> tuple[str, str, dict]:
    """A saved web page's main text, its encoding and evidence (page title, date, site name)."""
    try:
        import trafilatura
    except ImportError as exc:  # pragma: no cover - a dependency, but say how to get it
        raise CorpusError(path, "reading web pages needs trafilatura: pip install 'trafilatura>=2.0'") from exc
    html, encoding = decode_html(path.read_bytes(), path=path)
    page = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=True, include_images=False,
        date_extraction_params={"extensive_search": False, "original_date": True},  # the page's own date, not a guess
    )
    if page is None or not (page.text or "").strip():
        raise CorpusError(path, "no main text found in the web page")
    evidence = {key: value.strip() for key, value in (("title", page.title), ("date", page.date), ("source", page.sitename))
                if isinstance(value, str) and value.strip()}
    if "date" not in evidence:
        labelled = _LABELLED_DATE.search(_TAG.sub(" ", html))
        if labelled and 1 <= int(labelled.group(2)) <= 12 and 1 <= int(labelled.group(3)) <= 31:
            evidence["date"] = "{}-{:02d}-{:02d}".format(*(int(g) for g in labelled.groups()))
    return page.text, encoding, evidence
