"""Sub-commands ``workbench trends`` and ``workbench network``: terms over time, words that go together."""
from __future__ import annotations

import sys
from pathlib import Path

from ..network import EXPORT_FORMATS, WEIGHTS, cooccurrence_network, export_network
from ..output import write_table
from ..trends import COUNTS, plot_trends, term_trends
from .common import FORMATS, add_corpus_args, load

def _refuse_existing(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise FileExistsError(f"{path} exists; use --force to replace it")


def cmd_trends(args) -> int:
    if args.chart and Path(args.chart).suffix.lower() not in (".png", ".svg", ".pdf"):
        raise ValueError(f"--chart {args.chart} must end in .png, .svg or .pdf")
    if args.chart:
        _refuse_existing(Path(args.chart), args.force)
    table = term_trends(load(args), args.term, by=args.by, count=args.count)
    if args.chart:
        fig = plot_trends(table)
        fig.savefig(args.chart, dpi=150)
        print(f"wrote {args.chart}", file=sys.stderr)
    write_table(table, args.format)
    return 0


def cmd_network(args) -> int:
    out = Path(args.out)
    if out.suffix.lower() not in EXPORT_FORMATS:
        raise ValueError(f"--out {out} must end in {', '.join(EXPORT_FORMATS)}")
    graph = cooccurrence_network(load(args), window=args.window, weight=args.weight,
                                 min_count=args.min_count, max_nodes=args.max_nodes, by=args.by, seed=args.seed)
    written = export_network(graph, out, overwrite=args.force)
    graphs = graph if isinstance(graph, dict) else {None: graph}
    for path, (group, g) in zip(written if out.suffix.lower() != ".csv" else written[::2], graphs.items()):
        label = "" if group is None else f" [{group}]"
        print(f"wrote {path}{label}: {g.number_of_nodes()} terms, {g.number_of_edges()} links", file=sys.stderr)
    return 0


def register(sub) -> None:
    p = sub.add_parser("trends", help="how often terms occur per year (or decade, plan period, region…)",
                       description="One row per group and term: group, term, count, total_tokens, per_10k, "
                                   "counted_as. --count tokens counts jieba tokens equal to the term (改革 inside "
                                   "改革开放 is not counted); --count text counts the term wherever it is in the "
                                   "text.")
    add_corpus_args(p)
    p.add_argument("--term", action="append", required=True, metavar="T", help="a term (repeatable)")
    p.add_argument("--by", default="year", metavar="COLUMN",
                   help="year (default), decade, plan_period, or any metadata column (region, doc_type, …)")
    p.add_argument("--count", choices=COUNTS, default="tokens", help="count tokens (default) or text occurrences")
    p.add_argument("--chart", metavar="FILE.png", help="also draw the trend lines into FILE (.png, .svg, .pdf)")
    p.add_argument("--force", action="store_true", help="replace the chart file if it exists")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format")
    p.set_defaults(func=cmd_trends)

    p = sub.add_parser("network", help="a co-word network (terms in the same sentence or window) for Gephi",
                       description="Terms that occur together in a sentence (or within --window terms), weighted by "
                                   "count, PMI or G², with Louvain communities (seeded); written as GEXF, GraphML or "
                                   "CSV node and edge lists. With --by, one file per group.")
    add_corpus_args(p)
    p.add_argument("--by", metavar="COLUMN", help="one network per group: decade, plan_period, year, region, …")
    p.add_argument("--window", type=int, metavar="N", help="pairs at most N−1 terms apart (default: same sentence)")
    p.add_argument("--weight", choices=WEIGHTS, default="count", help="edge weight (default: count)")
    p.add_argument("--min-count", type=int, default=3, help="leave out pairs seen fewer times (default: 3)")
    p.add_argument("--max-nodes", type=int, default=100, help="the most frequent terms kept (default: 100)")
    p.add_argument("--seed", type=int, default=0, help="seed of the community detection (default: 0)")
    p.add_argument("--out", required=True, metavar="FILE", help="graph.gexf, graph.graphml or graph.csv")
    p.add_argument("--force", action="store_true", help="replace existing files")
    p.set_defaults(func=cmd_network)
