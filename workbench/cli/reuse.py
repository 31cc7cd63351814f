"""Sub-command ``workbench reuse``: the passages documents share, pair shares, what each document adds."""
from __future__ import annotations

import sys
from pathlib import Path

from ..output import write_table
from ..reuse import text_reuse
from ..reuse_view import write_side_by_side
from .common import add_corpus_args, load

SHOW = ("passages", "pairs", "documents")
# the long text columns are left out of the aligned table (they stay in csv and json)
TABLE_DROP = ("source_text", "source_orig_start", "source_orig_end", "target_orig_start", "target_orig_end")


def run_reuse(args) -> int:
    """Run ``workbench reuse`` with parsed arguments; writes the chosen table to stdout."""
    if args.html and not args.html.lower().endswith((".html", ".htm")):
        raise ValueError(f"--html {args.html} must end in .html")
    corpus = load(args)
    result = text_reuse(corpus, args.source, args.target, min_chars=args.min_chars,
                        min_similarity=args.min_similarity, common_docs=args.common_docs)
    table = getattr(result, args.show)
    if args.show == "passages":
        if args.format == "table":
            table = table.drop(columns=list(TABLE_DROP)).assign(
                target_text=lambda d: d["target_text"].str.replace("\n", " ").str.slice(0, 40))
        if table.empty:
            print("no shared passage", file=sys.stderr)
    write_table(table, args.format)
    if args.html:
        pairs = result.pairs.sort_values(["share", "common_share"], ascending=False, kind="stable")
        if pairs.empty:
            raise ValueError("no pair shares a passage: nothing to write to --html")
        top = pairs.iloc[0]
        write_side_by_side(result, corpus, top["source_doc"], top["target_doc"], Path(args.html))
        print(f"wrote {args.html} ({top['source_doc']} → {top['target_doc']}, {top['share']:.1%} shared)",
              file=sys.stderr)
    return 0


def register(subparsers) -> None:
    """Register ``workbench reuse`` on the sub-command parsers of the ``workbench`` command."""
    p = subparsers.add_parser(
        "reuse", help="passages documents share with each other, and what each adds",
        description="Text reuse: passages of at least --min-chars characters a target shares with a source "
                    "(also with small edits; script, width and line breaks do not matter), the share of each "
                    "target found in each source, and the share of each document found in no other one. "
                    "Wording that many documents share is marked as common. With --html, the pair with the "
                    "largest share is written side by side.")
    add_corpus_args(p)
    p.add_argument("--source", metavar="ID|COLUMN=VALUE", action="append",
                   help="source documents: an id or a selection like region=全国 (repeatable; default: all)")
    p.add_argument("--target", metavar="ID|COLUMN=VALUE", action="append",
                   help="target documents, as --source (default: all)")
    p.add_argument("--min-chars", type=int, default=50, metavar="N",
                   help="shortest passage in characters (default: 50)")
    p.add_argument("--min-similarity", type=float, default=0.8, metavar="X",
                   help="lowest edit similarity of a passage, 0-1 (default: 0.8)")
    p.add_argument("--common-docs", type=int, default=5, metavar="N",
                   help="wording in at least N documents is common wording (default: 5)")
    p.add_argument("--show", choices=SHOW, default="passages",
                   help="passages (default), pairs (share of each target found in each source) or documents")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format")
    p.add_argument("--html", metavar="OUT.html", help="also write the pair with the largest share side by side")
    p.set_defaults(func=run_reuse)
