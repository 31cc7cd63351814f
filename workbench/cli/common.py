"""What every sub-command shares: the corpus arguments, loading the corpus, the engine and segmenter."""
from __future__ import annotations

import argparse
import os
from contextlib import contextmanager

from ..corpus import discover_files, load_corpus
from ..engines import use

FORMATS = ("table", "csv", "json")


def add_corpus_args(p: argparse.ArgumentParser) -> None:
    """The corpus to read (paths, manifest, bad files) and how to process it (engine, workers, segmenter)."""
    p.add_argument("path", nargs="*", metavar="PATH",
                   help="files or folders of .txt/.md/.docx/.pdf (default: the bundled corpus)")
    p.add_argument("--manifest", metavar="CSV", help="a manifest.csv with the documents' metadata")
    p.add_argument("--skip-bad", action="store_true", help="warn about unreadable files and go on")
    scale = p.add_argument_group("larger corpora")
    scale.add_argument("--engine", choices=("local", "processes", "dask"), default="local",
                       help="where documents are processed: this process (default), a process pool, or Dask")
    scale.add_argument("--workers", type=int, metavar="N", help="processes for --engine processes|dask (default: all cores)")
    scale.add_argument("--scheduler", metavar="ADDRESS",
                       help="with --engine dask: a dask.distributed scheduler, e.g. tcp://10.0.0.5:8786")
    scale.add_argument("--segmenter", choices=("auto", "jieba", "rjieba"), default="auto",
                       help="segmentation backend (default: rjieba when installed, else jieba)")


@contextmanager
def scale(args):
    """The engine and segmenter chosen on the command line, for every step of the command."""
    if getattr(args, "scheduler", None) and args.engine != "dask":
        raise ValueError("--scheduler needs --engine dask")
    if getattr(args, "workers", None) is not None and args.workers < 1:
        raise ValueError(f"--workers must be at least 1, not {args.workers}")
    engine = getattr(args, "engine", "local")
    before = os.environ.get("WORKBENCH_SEGMENTER")
    if getattr(args, "segmenter", "auto") != "auto":
        os.environ["WORKBENCH_SEGMENTER"] = args.segmenter  # backend="auto" reads it
    try:
        if engine == "dask" and args.scheduler:
            try:
                from distributed import Client  # the optional dask extra
            except ImportError as exc:
                raise ValueError('--engine dask needs Dask: pip install "workbench[dask]"') from exc
            with Client(args.scheduler) as client, use(client):
                yield
        else:
            with use(None if engine == "local" else engine, workers=getattr(args, "workers", None)):
                yield
    finally:
        if before is None:
            os.environ.pop("WORKBENCH_SEGMENTER", None)
        else:
            os.environ["WORKBENCH_SEGMENTER"] = before


def load(args):
    """The corpus the command's paths (and ``--manifest``, ``--skip-bad``) name."""
    paths = args.path
    source = None if not paths else paths[0] if len(paths) == 1 else paths
    if isinstance(source, list):  # folders in a list: expand each
        source = [f for p in source for f in discover_files(p)]
    return load_corpus(source, manifest=args.manifest, errors="skip" if args.skip_bad else "raise")
