"""Sub-commands ``workbench keywords``, ``workbench kwic`` and ``workbench wordcloud``."""
from __future__ import annotations

import sys
from pathlib import Path

from ..keywords import JIEBA_METHODS, METHODS, rank_terms
from ..kwic import kwic
from ..output import atomic_path, write_table
from ..viz import make_wordcloud, ranking_weights, save_wordcloud
from .common import FORMATS, add_corpus_args, check_doc_ids, check_out_file, load, whole_number


def _stopwords(args):
    return None if args.no_stopwords else ("general", "policy")


def _ranking(args, corpus, *, top):
    by = "doc_id" if args.doc else args.by
    a, b = getattr(args, "a", None), getattr(args, "b", None)
    if (a is None) != (b is None):
        raise ValueError("--a and --b go together: --a VALUE --b VALUE compares group A with group B")
    if a is not None and args.method not in ("keyness", "log-odds"):
        raise ValueError("--a/--b compare two groups with --method keyness or log-odds")
    if a is not None and (args.doc or args.group):
        raise ValueError("--a/--b name the two groups; leave out --doc and --group")
    options = {"stopwords": _stopwords(args)}
    if args.method not in JIEBA_METHODS:
        options["ngram"] = args.ngram
    if args.method == "tfidf":
        options["idf_unit"] = args.idf_unit
    return rank_terms(corpus, args.method, group=a if a is not None else args.doc or args.group, by=by,
                      reference=b, top=top, **options)


def cmd_keywords(args) -> int:
    corpus = load(args)
    check_doc_ids(corpus, args.doc)
    table = _ranking(args, corpus, top=args.top)
    write_table(table, args.format)
    return 0


def cmd_kwic(args) -> int:
    corpus = load(args)
    check_doc_ids(corpus, args.doc)
    table = kwic(corpus, args.term, regex=args.regex, window=args.window,
                 window_unit="tokens" if args.tokens else "chars", doc_ids=args.doc, sort=args.sort)
    if table.empty:
        print(f"no occurrence of {args.term!r}", file=sys.stderr)
    write_table(table, args.format)
    return 0


def cmd_wordcloud(args) -> int:
    out = check_out_file(args.out, suffixes=(".png",), force=args.force)
    if not (args.doc or args.group):
        raise ValueError("say which document (--doc ID) or group (--by region --group NAME) to draw")
    corpus = load(args)
    check_doc_ids(corpus, args.doc)
    table = _ranking(args, corpus, top=args.top)
    # the label as the table has it (2024, not "2024")
    group = table.iloc[0, 0] if len(table) else args.doc or args.group
    cloud = make_wordcloud(ranking_weights(table, group), font_path=args.font,
                           width=args.width, height=args.height)
    with atomic_path(out, suffix=".png") as tmp:  # missing folders created, no half-written file
        save_wordcloud(cloud, tmp)
    print(f"wrote {out} ({len(cloud.words_)} words, font {Path(cloud.font_path).name})", file=sys.stderr)
    return 0


def _add_ranking_args(p, *, top: int) -> None:
    p.add_argument("--doc", metavar="ID", help="one document (default: every document)")
    p.add_argument("--by", default="doc_id", metavar="COLUMN",
                   help="rank per document (default) or per group: any metadata column (year, region, doc_type, "
                        "province, a manifest column) or decade, plan_period; section_role for keyness/log-odds")
    p.add_argument("--group", metavar="NAME", help="with --by COLUMN: one group only")
    p.add_argument("--method", choices=METHODS, default="tfidf",
                   help="tfidf (fitted to the corpus), jieba-tfidf (jieba's general IDF), textrank, "
                        "keyness (G² against the rest), log-odds (informative prior)")
    p.add_argument("--top", type=whole_number(1), default=top, help=f"terms per group (default: {top})")
    p.add_argument("--ngram", type=int, choices=(1, 2), default=1, help="2 adds word bigrams (default: 1)")
    p.add_argument("--idf-unit", choices=("document", "paragraph"), default="document",
                   help="with --method tfidf: what counts as a document for IDF (default: document)")
    p.add_argument("--no-stopwords", action="store_true", help="keep stopwords (general and policy lists)")


def register(sub) -> None:
    p = sub.add_parser("keywords", help="rank each document's (or group's) terms",
                       description="Keywords with the numbers behind them: tf, df, idf and tf-idf; G², p-value and "
                                   "log ratio; or log-odds z-scores.")
    add_corpus_args(p)
    _add_ranking_args(p, top=20)
    p.add_argument("--a", metavar="VALUE", help="with --method keyness|log-odds: group A (a value of --by) ...")
    p.add_argument("--b", metavar="VALUE", help="... compared with group B, not with the rest; both directions shown")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format")
    p.set_defaults(func=cmd_keywords)

    p = sub.add_parser("kwic", help="every occurrence of a term with its context",
                       description="Keyword in context over the cleaned paragraphs.")
    p.add_argument("term", metavar="TERM", help="the term (or, with --regex, a regular expression)")
    add_corpus_args(p)
    p.add_argument("--regex", action="store_true", help="TERM is a regular expression")
    p.add_argument("--window", type=whole_number(1), default=15, help="context on each side (default: 15)")
    p.add_argument("--tokens", action="store_true", help="count the window in jieba tokens, not characters")
    p.add_argument("--doc", metavar="ID", action="append", help="only this document (repeatable)")
    p.add_argument("--sort", choices=("position", "left", "right"), default="position", help="order of the lines")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format")
    p.set_defaults(func=cmd_kwic)

    p = sub.add_parser("wordcloud", help="draw a word cloud of one document's (or group's) ranking",
                       description="A PNG word cloud drawn with a Chinese font (yours with --font, an installed one, "
                                   "or the bundled Noto Sans CJK SC subset).")
    add_corpus_args(p)
    _add_ranking_args(p, top=100)
    p.add_argument("--out", required=True, metavar="FILE.png", help="the PNG to write")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.add_argument("--font", metavar="PATH", help="a .ttf/.otf font to draw with")
    p.add_argument("--width", type=whole_number(50, 10000), default=800, help="pixels (default: 800)")
    p.add_argument("--height", type=whole_number(50, 10000), default=400, help="pixels (default: 400)")
    p.set_defaults(func=cmd_wordcloud)
