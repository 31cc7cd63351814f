"""Sub-commands ``workbench targets``, ``workbench compare`` and ``workbench attainment``."""
from __future__ import annotations

import sys

from ..attainment import attainment
from ..compare import competing_targets, compare_targets, export_tables
from ..output import write_table
from ..targets import MEASURES, POSITION_FIELDS, SCHEMA_FIELDS, extract_targets
from .common import FORMATS, add_corpus_args, load, whole_number


def cmd_targets(args) -> int:
    records = extract_targets(load(args), kind=args.kind, lexicon=args.lexicon)
    columns = list(SCHEMA_FIELDS) + (list(POSITION_FIELDS) if args.with_context or args.format == "xlsx" else [])
    records = records[columns]
    if args.out:
        suffix = {"table": ".csv", "csv": ".csv", "jsonl": ".jsonl", "xlsx": ".xlsx"}[args.format]
        if not args.out.lower().endswith(suffix):
            raise ValueError(f"--out {args.out} does not end in {suffix} for --format {args.format}")
        path = export_tables(records, args.out, overwrite=args.force)
        print(f"wrote {len(records)} records to {path}", file=sys.stderr)
        return 0
    if args.format == "xlsx":
        raise ValueError("--format xlsx needs --out FILE.xlsx")
    if args.format == "table":
        records = records.assign(quote=records["quote"].str.replace(r"\s+", " ", regex=True))
    write_table(records, args.format)
    return 0


def _terminal(table):
    """Quotes on one line and short, so a table of thirty groups stays readable in a terminal."""
    quotes = [c for c in table.columns if c.endswith("quote")]
    return table.assign(**{c: table[c].fillna("").str.replace(r"\s+", " ", regex=True).str.slice(0, 24)
                           for c in quotes})


def _write(tables: dict, args, what: str) -> int:
    (name, table), *_ = tables.items()
    if args.out:
        if not args.out.lower().endswith(".xlsx"):
            tables = {name: table}
        path = export_tables(tables, args.out, overwrite=args.force)
        print(f"wrote {len(table)} {what} to {path}", file=sys.stderr)
        return 0
    write_table(_terminal(table) if args.format == "table" else table, args.format)
    return 0


def cmd_compare(args) -> int:
    corpus = load(args)
    records = extract_targets(corpus)
    options = dict(by=args.by, kind=args.kind, year=args.year, indicator=args.indicator, measure=args.measure)
    table = compare_targets(records, corpus, wide=args.wide, **options)
    return _write({"comparison": table, "records": competing_targets(records, corpus, **options)}, args,
                  "groups" if args.wide else "cells")


def cmd_attainment(args) -> int:
    corpus = load(args)
    table = attainment(extract_targets(corpus), corpus, indicator=args.indicator, measure=args.measure, by=args.by)
    return _write({"attainment": table}, args, "targets")


def register(sub) -> None:
    p = sub.add_parser("targets", help="extract quantitative targets and achieved figures",
                       description="Every number a plan sets (target) or reports (achieved), one record per number, "
                                   "with the fields of the target schema.")
    add_corpus_args(p)
    p.add_argument("--kind", choices=("target", "achieved"), help="keep only one kind")
    p.add_argument("--format", choices=("table", "csv", "jsonl", "xlsx"), default="table", help="output format")
    p.add_argument("--out", metavar="FILE", help="write to FILE (atomically) instead of standard output")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.add_argument("--with-context", action="store_true", help="add paragraph, sentence, offsets and the sentence")
    p.add_argument("--lexicon", metavar="CSV", help="extra indicator lexicon: keyword,indicator_id")
    p.set_defaults(func=cmd_targets)

    p = sub.add_parser("compare", help="compare targets across groups: one value per cell",
                       description="One row per group and canonical indicator (and measure, year): value_low, "
                                   "value_high, comparator, display, the winning record's quote and how many "
                                   "records competed. --wide: groups in rows, indicators in columns.")
    add_corpus_args(p)
    p.add_argument("--by", default="doc_id",
                   help="group documents by a metadata column (region, province, year, doc_type…) or "
                        "decade / plan_period (default: doc_id)")
    p.add_argument("--kind", choices=("target", "achieved"), default="target", help="targets (default) or results")
    p.add_argument("--year", type=whole_number(1949, 2100), help="keep only records for this year")
    p.add_argument("--indicator", metavar="ID", help="indicator_id (gdp, prices…), catalogue key (cpi) or name")
    p.add_argument("--measure", choices=MEASURES, help="growth, rate, points or level")
    p.add_argument("--wide", action="store_true", help="groups in rows, indicators in columns")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format")
    p.add_argument("--out", metavar="FILE.xlsx",
                   help="write to an Excel file (sheets comparison and records: every competing record), CSV or "
                        "JSON Lines")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("attainment", help="targets against results, year by year",
                       description="Each target (group, indicator, measure, year) next to the result reported for "
                                   "the same year anywhere in the corpus: result, gap and whether it was met.")
    add_corpus_args(p)
    p.add_argument("--indicator", metavar="ID", required=True, help="indicator_id, catalogue key or name (gdp, cpi)")
    p.add_argument("--measure", choices=MEASURES, help="growth, rate, points or level")
    p.add_argument("--by", default="region", help="grouping of the documents (default: region)")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format")
    p.add_argument("--out", metavar="FILE", help="write to an Excel, CSV or JSON Lines file")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.set_defaults(func=cmd_attainment)
