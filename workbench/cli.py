"""The ``workbench`` command line: one sub-command per capability."""
from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path

from .errors import CorpusError

log = logging.getLogger("workbench")


def _add_corpus_args(p: argparse.ArgumentParser) -> None:
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
def _scale(args):
    """The engine and segmenter chosen on the command line, for every step of the command."""
    from .engines import use

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
                from distributed import Client
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


def _load(args):
    from .corpus import load_corpus

    paths = args.path
    source = None if not paths else paths[0] if len(paths) == 1 else paths
    if isinstance(source, list):  # folders in a list: expand each
        from .corpus import discover_files

        source = [f for p in source for f in discover_files(p)]
    return load_corpus(source, manifest=args.manifest, errors="skip" if args.skip_bad else "raise")


def cmd_corpus(args) -> int:
    from .corpus import corpus_table
    from .output import write_table

    corpus = _load(args)
    if args.doc:
        row = corpus.document(args.doc)
        text = row["text"] if args.show == "clean" else row["original"]
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return 0
    table = corpus_table(corpus)
    if args.format == "table":
        table = table.drop(columns=["path", "inferred"])
    write_table(table, args.format)
    return 0


def cmd_lab(args) -> int:
    from .resources import notebooks_dir

    source = notebooks_dir()
    if source is None:
        raise CorpusError(None, "no notebooks found in this installation")
    target = source
    if not os.access(source, os.W_OK) or source.parent.name == "workbench":
        # Installed from a wheel: work on a copy, never on the package's files.
        target = Path(args.dir or "workbench-notebooks").resolve()
        target.mkdir(parents=True, exist_ok=True)
        for nb in sorted(source.glob("*.ipynb")):
            if not (target / nb.name).exists():
                shutil.copy2(nb, target / nb.name)
    jupyter = shutil.which("jupyter", path=str(Path(sys.executable).parent)) or shutil.which("jupyter")
    if jupyter is None:
        raise CorpusError(None, "JupyterLab is not installed: pip install jupyterlab")
    cmd = [jupyter, "lab", f"--notebook-dir={target}", f"--port={args.port}"]
    if args.no_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    print(f"Starting JupyterLab on {target} - open 00_start_here.ipynb first.", file=sys.stderr)
    os.execv(jupyter, cmd)
    return 0  # pragma: no cover


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Read and compare Chinese regional development plans with data.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what is being done")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("corpus", help="list a corpus's documents, or show one document's clean or original text",
                       description="One row per document with its metadata and sizes; or, with --doc, one document's text.")
    _add_corpus_args(p)
    p.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format (default: table)")
    p.add_argument("--doc", metavar="ID", help="print one document's text instead of the table")
    p.add_argument("--show", choices=("clean", "original"), default="clean",
                   help="with --doc: the cleaned text (default) or the original as read from the file")
    p.set_defaults(func=cmd_corpus)

    p = sub.add_parser("lab", help="start JupyterLab on the workbench notebooks",
                       description="Start JupyterLab on the notebooks (a copy in --dir when installed from a wheel).")
    p.add_argument("--port", type=int, default=8888, help="port to serve on (default: 8888)")
    p.add_argument("--dir", help="where to copy the notebooks when installed from a wheel (default: ./workbench-notebooks)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.set_defaults(func=cmd_lab)

    from . import cli_compare, cli_keywords, cli_targets, cli_topics  # noqa: PLC0415  - capabilities register here

    cli_keywords.register(sub)
    cli_topics.register(sub)
    cli_targets.register(sub)
    cli_compare.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="workbench: %(message)s")
    try:
        with _scale(args):
            return args.func(args)
    except ImportError as exc:  # an optional extra the options ask for
        print(f"workbench: error: {exc}", file=sys.stderr)
        return 2
    except (CorpusError, KeyError, ValueError, FileExistsError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"workbench: error: {message}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        sys.stderr.close()
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
