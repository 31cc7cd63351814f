"""Sub-commands ``workbench targets`` and ``workbench compare``."""
from __future__ import annotations

import sys

from ..compare import compare_targets, export_tables
from ..output import write_table
from ..targets import POSITION_FIELDS, SCHEMA_FIELDS, extract_targets
from .common import FORMATS, add_corpus_args, load


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


def cmd_compare(args) -> int:
    corpus = load(args)
    table = compare_targets(extract_targets(corpus), corpus, by=args.by, kind=args.kind, year=args.year,
                            indicator=args.indicator)
    if args.out:
        path = export_tables({"comparison": table}, args.out, overwrite=args.force)
        print(f"wrote {len(table)} indicators to {path}", file=sys.stderr)
        return 0
    write_table(table, args.format)
    return 0


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

    p = sub.add_parser("compare", help="compare targets across documents or regions",
                       description="An indicator × document (or region) table of targets; indicators most plans "
                                   "address come first.")
    add_corpus_args(p)
    p.add_argument("--by", choices=("doc_id", "region", "doc_type"), default="doc_id", help="columns of the table")
    p.add_argument("--kind", choices=("target", "achieved"), help="keep only one kind")
    p.add_argument("--year", type=int, help="keep only records for this year")
    p.add_argument("--indicator", metavar="ID", help="keep only one indicator_id (gdp, innovation, ...)")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format")
    p.add_argument("--out", metavar="FILE.xlsx", help="write the table to an Excel, CSV or JSON Lines file")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.set_defaults(func=cmd_compare)
