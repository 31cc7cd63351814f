"""What every sub-command shares: the corpus arguments, loading the corpus, the engine and segmenter,
option types that check their values, and the errors a command reports in one line."""
from __future__ import annotations

import argparse
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from ..corpus import DATASETS, discover_files, load_corpus
from ..engines import use

FORMATS = ("table", "csv", "json")
SCHEDULER_TIMEOUT = 10  # seconds to wait for a Dask scheduler before giving up
PATH_HELP = ("files or folders of documents (.txt, .md, .docx, .pdf, .html) and tables of documents, one per row "
             "(.csv, .tsv, .jsonl, .parquet, .xlsx); default: the bundled seed corpus")


class UserError(Exception):
    """An expected problem with the user's options or environment, reported as ``workbench: error: <message>``."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors read ``workbench: error: …`` (after the usage line), exit status 2."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"workbench: error: {message}\n")


def whole_number(lo: int, hi: int | None = None):
    """An argparse ``type``: an integer in ``lo..hi`` (no upper bound when ``hi`` is None).

    >>> whole_number(1)("20")
    20
    >>> whole_number(1)("-3")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a whole number of at least 1, not '-3'
    """
    allowed = f"from {lo} to {hi}" if hi is not None else f"of at least {lo}"

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < lo or (hi is not None and value > hi):
            raise argparse.ArgumentTypeError(f"must be a whole number {allowed}, not {text!r}")
        return value

    parse.__name__ = "whole number"
    return parse


def share(text: str) -> float:
    """An argparse ``type``: a number greater than 0 and at most 1.

    >>> share("0.5")
    0.5
    """
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is None or not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"must be a share greater than 0 and at most 1 (e.g. 0.5), not {text!r}")
    return value


def k_range(text: str) -> range:
    """An argparse ``type``: ``LO:HI`` with ``2 <= LO <= HI``, as ``range(LO, HI + 1)``.

    >>> k_range("4:6")
    range(4, 7)
    """
    try:
        lo, hi = (int(x) for x in text.split(":"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"takes LO:HI (e.g. 4:16), not {text!r}") from None
    if not 2 <= lo <= hi:
        raise argparse.ArgumentTypeError(f"LO:HI needs 2 <= LO <= HI, not {text!r}")
    return range(lo, hi + 1)


SEED = whole_number(0, 2**32 - 1)


def add_corpus_args(p: argparse.ArgumentParser) -> None:
    """The corpus to read (paths, datasets, table columns, manifest, bad files) and how to process it."""
    p.add_argument("path", nargs="*", metavar="PATH", help=PATH_HELP)
    p.add_argument("--dataset", action="append", choices=DATASETS,
                   help="a bundled corpus: seeds (five regional documents) or national (the national government "
                        "work reports 1954–2025); repeatable; with PATH, loaded together with your files")
    p.add_argument("--text-column", metavar="COLUMN", help="in tables: the column of the text (default: the one "
                                                           "named text, content, full_text, 正文…)")
    p.add_argument("--id-column", metavar="COLUMN", help="in tables: the column of the document ids "
                                                         "(default: doc_id, else file name and row)")
    p.add_argument("--manifest", metavar="CSV", help="a manifest.csv with the documents' metadata")
    p.add_argument("--skip-bad", action="store_true", help="warn about unreadable files and go on")
    scale = p.add_argument_group("larger corpora")
    scale.add_argument("--engine", choices=("local", "processes", "dask"), default="local",
                       help="where documents are processed: this process (default), a process pool, or Dask")
    scale.add_argument("--workers", type=whole_number(1), metavar="N",
                       help="processes for --engine processes|dask (default: all cores)")
    scale.add_argument("--scheduler", metavar="ADDRESS",
                       help="with --engine dask: a dask.distributed scheduler, e.g. tcp://10.0.0.5:8786")
    scale.add_argument("--segmenter", choices=("auto", "jieba", "rjieba"), default="auto",
                       help="segmentation backend (default: rjieba when installed, else jieba)")


@contextmanager
def scale(args):
    """The engine and segmenter chosen on the command line, for every step of the command."""
    if getattr(args, "scheduler", None) and args.engine != "dask":
        raise ValueError("--scheduler needs --engine dask")
    engine = getattr(args, "engine", "local")
    before = os.environ.get("WORKBENCH_SEGMENTER")
    if getattr(args, "segmenter", "auto") != "auto":
        os.environ["WORKBENCH_SEGMENTER"] = args.segmenter  # backend="auto" reads it
    try:
        if engine == "dask" and args.scheduler:
            with _client(args.scheduler) as client, use(client):
                yield
        else:
            with use(None if engine == "local" else engine, workers=getattr(args, "workers", None)):
                yield
    finally:
        if before is None:
            os.environ.pop("WORKBENCH_SEGMENTER", None)
        else:
            os.environ["WORKBENCH_SEGMENTER"] = before


def _client(address: str):
    """A dask.distributed Client of the scheduler at ``address``; a UserError when it cannot be reached."""
    try:
        from distributed import Client  # the optional dask extra
    except ImportError as exc:
        raise ValueError('--engine dask needs Dask: pip install "workbench[dask]"') from exc
    try:
        return Client(address, timeout=SCHEDULER_TIMEOUT)
    except (OSError, TimeoutError) as exc:  # refused, unreachable, timed out
        raise UserError(f"{address}: cannot reach the Dask scheduler ({exc})") from exc
    except ValueError as exc:  # an address Dask cannot parse
        raise UserError(f"{address}: not a Dask scheduler address ({exc})") from exc


def load(args):
    """The corpus the command's paths (and ``--dataset``, ``--text-column``, ``--id-column``,
    ``--manifest``, ``--skip-bad``) name."""
    paths = args.path
    if not paths:
        for option in ("manifest", "text_column", "id_column"):
            if getattr(args, option, None):
                raise UserError(f"--{option.replace('_', '-')} applies to your files: give the PATH of them")
    source = None if not paths else paths[0] if len(paths) == 1 else paths
    if isinstance(source, list):  # folders in a list: expand each
        source = [f for p in source for f in discover_files(p)]
    return load_corpus(source, dataset=getattr(args, "dataset", None), text=getattr(args, "text_column", None),
                       id=getattr(args, "id_column", None), manifest=args.manifest,
                       errors="skip" if args.skip_bad else "raise")


def check_doc_ids(corpus, doc_ids) -> None:
    """A UserError when one of ``doc_ids`` (``--doc``) is not in the corpus."""
    missing = [d for d in ([doc_ids] if isinstance(doc_ids, str) else doc_ids or []) if d not in set(corpus.doc_ids)]
    if missing:
        shown = ", ".join(corpus.doc_ids[:10]) + (", …" if len(corpus.doc_ids) > 10 else "")
        raise UserError(f"no document {missing[0]!r}; the corpus has: {shown}")


def check_out_file(out: str, *, suffixes: tuple[str, ...], force: bool) -> Path:
    """``--out FILE`` checked before any work: its suffix, and that it does not exist (unless ``--force``)."""
    path = Path(out)
    if path.suffix.lower() not in suffixes:
        raise UserError(f"{path}: --out must end in {' or '.join(suffixes)}")
    if path.is_dir():
        raise UserError(f"{path}: is a folder, not a file; give a file name")
    if path.exists() and not force:
        raise UserError(f"{path}: exists; use --force to replace it")
    return path
