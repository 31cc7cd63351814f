"""Sub-commands ``workbench similarity``, ``workbench themes`` and ``workbench report``."""
from __future__ import annotations

import sys

import pandas as pd

from ..output import write_table
from ..report import ReportSettings, write_report
from ..similarity import document_similarity, most_similar
from ..themes import load_themes, theme_coverage, theme_matches, theme_table
from .common import FORMATS, SEED, add_corpus_args, load, whole_number


def cmd_similarity(args) -> int:
    table = document_similarity(load(args), representation=args.representation, by=args.by,
                                idf_unit=args.idf_unit)
    if args.pairs:
        write_table(most_similar(table), args.format)
    else:
        write_table(table.reset_index(), args.format)
    return 0


def cmd_themes(args) -> int:
    themes = load_themes()
    if args.themes:
        extra = load_themes(args.themes)
        themes = extra if args.replace else load_themes(pd.concat([themes, extra], ignore_index=True))
    corpus = load(args)
    if args.matches:
        table = theme_matches(corpus, themes=themes, by=args.by)
        if args.theme:
            table = table[table["theme"] == args.theme]
    else:
        table = theme_coverage(corpus, themes=themes, by=args.by)
        if args.format == "table":
            table = theme_table(table).round(2).reset_index()
    write_table(table, args.format)
    return 0


def cmd_report(args) -> int:
    settings = ReportSettings(top=args.top, k=args.k, topic_method=args.method, seed=args.seed)
    path = write_report(load(args), args.out, settings=settings, overwrite=args.force)
    print(f"wrote {path} ({path.stat().st_size // 1024} KB)", file=sys.stderr)
    return 0


def _register_report(sub) -> None:
    p = sub.add_parser("report", help="write one self-contained HTML report of a corpus",
                       description="Corpus table, keywords and word cloud per document, topics, similarity, themes, "
                                   "target comparison and the settings, in one HTML file that opens offline.")
    add_corpus_args(p)
    p.add_argument("--out", required=True, metavar="FILE.html", help="the HTML file to write")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.add_argument("--top", type=whole_number(1), default=15, help="keywords per document (default: 15)")
    p.add_argument("--method", choices=("nmf", "lda"), default="nmf", help="topic model (default: nmf)")
    p.add_argument("--k", type=whole_number(2), default=8, help="number of topics (default: 8)")
    p.add_argument("--seed", type=SEED, default=0, help="random seed (default: 0)")
    p.set_defaults(func=cmd_report)


def register(sub) -> None:
    p = sub.add_parser("similarity", help="cosine similarity between documents",
                       description="Cosine similarity of TF-IDF vectors (IDF over paragraphs by default) or of topic "
                                   "shares, as a square table or as pairs, most similar first.")
    add_corpus_args(p)
    p.add_argument("--representation", choices=("tfidf", "topics"), default="tfidf", help="what to compare")
    p.add_argument("--by", default="doc_id", metavar="COLUMN",
                   help="rows and columns: documents (default), year, decade, plan_period, region, any metadata column")
    p.add_argument("--idf-unit", choices=("document", "paragraph"), default="paragraph", help="IDF unit for tfidf")
    p.add_argument("--pairs", action="store_true", help="list pairs, most similar first, instead of the matrix")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format")
    p.set_defaults(func=cmd_similarity)

    p = sub.add_parser("themes", help="share of each document's words per policy theme",
                       description="Theme coverage by dictionary (workbench/data/themes.csv): the share of word "
                                   "tokens each theme's terms cover; --matches lists every matched term and count.")
    add_corpus_args(p)
    p.add_argument("--themes", metavar="CSV", help="your theme dictionary (columns theme,term[,label]); added to ours")
    p.add_argument("--replace", action="store_true", help="with --themes: use only your dictionary")
    p.add_argument("--by", default="doc_id", metavar="COLUMN",
                   help="group by documents (default), year, decade, plan_period, section_role, any metadata column")
    p.add_argument("--matches", action="store_true", help="list matched terms and counts instead of shares")
    p.add_argument("--theme", metavar="ID", help="with --matches: one theme only")
    p.add_argument("--format", choices=FORMATS, default="table",
                   help="output format (table: a theme × group grid in percent; csv/json: tidy rows)")
    p.set_defaults(func=cmd_themes)

    _register_report(sub)
