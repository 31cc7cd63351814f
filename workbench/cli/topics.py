"""Sub-command ``workbench topics``: fit, sweep k, check stability, export."""
from __future__ import annotations

import sys
from pathlib import Path

from ..output import write_table
from ..topic_quality import sweep_topics, topic_stability
from ..topics import EXPORT_FILES, fit_topics, topic_summary
from .common import FORMATS, SEED, UserError, add_corpus_args, k_range, load, share, whole_number


def cmd_topics(args) -> int:
    if args.out:  # before the fit: a folder that would be refused is refused now
        folder = Path(args.out)
        if folder.exists() and not folder.is_dir():
            raise UserError(f"{folder}: --out is a folder to write the tables into, and this is a file")
        existing = [folder / name for name in EXPORT_FILES if (folder / name).exists()]
        if existing and not args.force:
            raise UserError(f"{existing[0]}: exists; use --force to replace the files in {folder}")
    corpus = load(args)
    options = dict(method=args.method, unit=args.unit, seed=args.seed, min_df=args.min_df, max_df=args.max_df)
    if args.sweep:
        write_table(sweep_topics(corpus, args.sweep, **options), args.format)
        return 0
    model = fit_topics(corpus, k=args.k, n_top=args.top, **options)
    if args.show == "shares":
        table = model.shares_by(args.by, corpus).reset_index()
    elif args.show == "representative":
        table = model.representative(3)
        if args.format == "table":
            table = table.assign(text=table["text"].str.slice(0, 60))
    else:
        table = topic_summary(model)
        if args.stability:
            table = table.merge(topic_stability(model).drop(columns="label"), on="topic")
    if args.out:
        for path in model.export(args.out, overwrite=args.force):
            print(f"wrote {path}", file=sys.stderr)
    print(f"# {model.settings.method} k={model.settings.k} unit={model.settings.unit} seed={model.settings.seed} "
          f"({len(model.units)} units, {len(model.vocabulary)} terms)", file=sys.stderr)
    write_table(table, args.format)
    return 0


def register(sub) -> None:
    p = sub.add_parser("topics", help="topic models (NMF or LDA) over paragraphs",
                       description="Fit NMF or LDA over paragraph (or sentence-window) units and show each topic's "
                                   "terms, share and coherence; or sweep k; or show document shares.")
    add_corpus_args(p)
    p.add_argument("--method", choices=("nmf", "lda"), default="nmf", help="NMF on TF-IDF (default) or LDA on counts")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--k", type=whole_number(2), default=10, help="number of topics (default: 10)")
    group.add_argument("--sweep", metavar="LO:HI", type=k_range, help="fit every k from LO to HI and report coherence (and perplexity)")
    p.add_argument("--unit", default="paragraph", help="paragraph (default) or sentences:N (windows of N sentences)")
    p.add_argument("--seed", type=SEED, default=0, help="random seed (default: 0)")
    p.add_argument("--min-df", type=whole_number(1), default=2, help="a term must occur in this many units (default: 2)")
    p.add_argument("--max-df", type=share, default=0.5, help="and in at most this share of them (default: 0.5)")
    p.add_argument("--top", type=whole_number(1), default=10, help="terms per topic (default: 10)")
    p.add_argument("--show", choices=("topics", "shares", "representative"), default="topics",
                   help="topic summary (default), document × topic shares, or representative paragraphs")
    p.add_argument("--by", default="doc_id", metavar="COLUMN",
                   help="with --show shares: rows per document (default), year, decade, plan_period, region, …")
    p.add_argument("--stability", action="store_true", help="add each topic's stability over 5 other seeds")
    p.add_argument("--out", metavar="DIR", help="also write every table and settings.json into DIR")
    p.add_argument("--force", action="store_true", help="replace files in DIR")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format")
    p.set_defaults(func=cmd_topics)

