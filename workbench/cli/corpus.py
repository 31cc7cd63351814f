"""Sub-commands ``workbench corpus`` and ``workbench lab``."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from ..corpus import corpus_table
from ..errors import CorpusError
from ..output import write_table
from ..resources import notebooks_dir
from .common import FORMATS, add_corpus_args, check_doc_ids, load, whole_number


def cmd_corpus(args) -> int:
    corpus = load(args)
    if args.doc:
        check_doc_ids(corpus, args.doc)
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


def register(sub) -> None:
    p = sub.add_parser("corpus", help="list a corpus's documents, or show one document's clean or original text",
                       description="One row per document with its metadata and sizes; or, with --doc, one document's text.")
    add_corpus_args(p)
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    p.add_argument("--doc", metavar="ID", help="print one document's text instead of the table")
    p.add_argument("--show", choices=("clean", "original"), default="clean",
                   help="with --doc: the cleaned text (default) or the original as read from the file")
    p.set_defaults(func=cmd_corpus)

    p = sub.add_parser("lab", help="start JupyterLab on the workbench notebooks",
                       description="Start JupyterLab on the notebooks (a copy in --dir when installed from a wheel).")
    p.add_argument("--port", type=whole_number(1, 65535), default=8888, help="port to serve on (default: 8888)")
    p.add_argument("--dir", help="where to copy the notebooks when installed from a wheel (default: ./workbench-notebooks)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.set_defaults(func=cmd_lab)
