"""One self-contained HTML report of a corpus: tables, word clouds and charts inline, no network needed.

Built to stay readable from five documents to fifty and more: each document's keywords
sit in a collapsible ``<details>`` block, labels tell every document apart
(:func:`~workbench.viz.document_labels`), charts are sized to the number of documents
and wide or long tables scroll inside their box.
"""
from __future__ import annotations

import base64
import html
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from .compare import compare_targets, coverage
from .corpus import corpus_table
from .keyness import keyness
from .keywords import tfidf_keywords
from .output import atomic_path, format_floats
from .segment import segment_corpus
from .similarity import document_similarity, most_similar
from .targets import extract_targets
from .themes import theme_coverage, theme_table
from .topics import fit_topics, topic_summary
from .viz import (MANY_GROUPS, document_labels, make_wordcloud, plot_coverage, plot_similarity, plot_themes,
                  plot_topic_heatmap, ranking_weights)

REPORT_CORPUS_COLUMNS = ("doc_id", "title", "region", "doc_type", "date", "script", "format", "encoding", "n_chars",
                         "n_paragraphs", "n_sentences")
SECTIONS = ("corpus", "keywords", "topics", "similarity", "themes", "targets", "settings")

STYLE = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
     margin:2em auto;max-width:1100px;color:#222;line-height:1.5;padding:0 1em}
h1{font-size:1.6em}h2{border-bottom:2px solid #2166ac;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0;font-size:.85em}
th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}
th{background:#f0f4f8}td{min-width:2.5em}img{max-width:100%}.pair{display:flex;gap:1em;flex-wrap:wrap;align-items:flex-start}
.note{color:#555;font-size:.9em}nav a{margin-right:1em}
.scroll{overflow-x:auto;overflow-y:auto;max-height:36em;max-width:100%;margin:.5em 0}
.scroll table{margin:0}.scroll th{position:sticky;top:0}
details{margin:.3em 0}details>summary{cursor:pointer;padding:.2em 0}
details.document>summary{font-weight:bold}details.document[open]>summary{border-bottom:1px solid #ddd}
"""
OPEN_UP_TO = 5  # documents: with more, each document's section starts closed


@dataclass(frozen=True)
class ReportSettings:
    """What the report computes; written into the report itself."""

    top: int = 15
    idf_unit: str = "paragraph"
    topic_method: str = "nmf"
    k: int = 8
    seed: int = 0
    stopwords: tuple[str, ...] = ("general", "policy")
    target_kind: str = "target"


def figure_png(fig) -> str:
    """A matplotlib figure as a ``data:`` URI (PNG), then closed."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _img(uri: str, alt: str) -> str:
    return f"<img src='{uri}' alt='{html.escape(alt)}'>"


def _table(df: pd.DataFrame, *, digits: int = 3) -> str:
    """The table in a box that scrolls when the table is wider or longer than the page."""
    return f"<div class='scroll'>{format_floats(df, digits).to_html(index=False, border=0, escape=True)}</div>"


def _details(summary: str, body: str, *, css: str = "", opened: bool = False) -> str:
    """A collapsible block (``summary`` is HTML-escaped here)."""
    attrs = (f" class='{css}'" if css else "") + (" open" if opened else "")
    return f"<details{attrs}><summary>{html.escape(summary)}</summary>{body}</details>"


def _section(key: str, title: str, body: str) -> str:
    return f"<section id='{key}'><h2>{html.escape(title)}</h2>{body}</section>"


def build_report(corpus, settings: ReportSettings = ReportSettings()) -> str:
    """The report as an HTML string (see :func:`write_report`)."""
    from . import __version__  # set by the package after it has imported its modules, this one included

    tokens = segment_corpus(corpus)
    stop = list(settings.stopwords)
    names = document_labels(corpus.documents)
    opened = len(corpus) <= OPEN_UP_TO
    parts = []

    table = corpus_table(corpus)
    table = table[[c for c in REPORT_CORPUS_COLUMNS if c in table]]
    parts.append(_section("corpus", f"Corpus · {len(corpus)} documents", _table(table)))

    ranking = tfidf_keywords(corpus, idf_unit=settings.idf_unit, top=max(settings.top, 60), stopwords=stop, tokens=tokens)
    key = keyness(corpus, direction="over", top=10, stopwords=stop, tokens=tokens)
    blocks = ["<p class='note'>TF-IDF with IDF over "
              f"{html.escape(settings.idf_unit)}s (tf, df, idf and the normalised score); word cloud of the top 60; "
              "keyness: G² of the document against the rest, over-used terms."
              + ("" if opened else " Click a document to open it.") + "</p>"]
    for doc_id in corpus.doc_ids:
        mine = ranking[ranking["doc_id"] == doc_id]
        try:
            cloud = make_wordcloud(ranking_weights(mine, doc_id), width=520, height=300)
            buffer = io.BytesIO()
            cloud.to_image().save(buffer, format="PNG")
            picture = _img("data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii"),
                           "word cloud " + doc_id)
        except ValueError as exc:
            picture = f"<p class='note'>No word cloud: {html.escape(str(exc))}</p>"
        top = mine[mine["rank"] <= settings.top][["term", "tf", "df", "idf", "score"]]
        kn = key[key["doc_id"] == doc_id][["term", "count", "count_ref", "g2", "log_ratio"]]
        doc_title = str(corpus.document(doc_id)["title"] or "")
        blocks.append(_details(f"{names[doc_id]} · {doc_title}" if doc_title else names[doc_id],
                               f"<div class='pair'><div>{_table(top)}</div>{picture}<div>{_table(kn)}</div></div>",
                               css="document", opened=opened))
    parts.append(_section("keywords", "Keywords and word clouds", "".join(blocks)))

    title = f"Topics · {settings.topic_method.upper()} k={settings.k} over paragraphs"
    try:
        model = fit_topics(corpus, method=settings.topic_method, k=settings.k, seed=settings.seed,
                           stopwords=tuple(stop), tokens=tokens)
    except ValueError as exc:  # a corpus too small for the model: say so, keep the rest of the report
        model = None
        parts.append(_section("topics", title, f"<p class='note'>No topic model: {html.escape(str(exc))}</p>"))
    if model is not None:
        rep = model.representative(1).assign(text=lambda d: d["text"].str.slice(0, 120) + "…")
        heatmap = _img(figure_png(plot_topic_heatmap(model, labels=names)), "topic heatmap")
        parts.append(_section("topics", title, _table(topic_summary(model)) + heatmap
                              + "<h3>Most typical paragraph of each topic</h3>"
                              + _table(rep[["topic", "label", "doc_id", "paragraph", "share", "text"]])))

    similarity = document_similarity(corpus, idf_unit=settings.idf_unit, stopwords=stop, tokens=tokens)
    parts.append(_section("similarity", "Document similarity (cosine of TF-IDF vectors)",
                          _img(figure_png(plot_similarity(similarity, labels=names)), "similarity heatmap")
                          + _table(most_similar(similarity).head(10))))

    themes = theme_coverage(corpus, tokens=tokens)
    wide = theme_table(themes).round(2).rename(columns=names).rename_axis(index="theme", columns=None)
    if wide.shape[1] > MANY_GROUPS:  # documents as rows: fourteen columns, not fifty
        wide = wide.T.rename_axis(index="document", columns=None)
    parts.append(_section("themes", "Theme coverage (% of word tokens matched by the theme dictionary)",
                          _img(figure_png(plot_themes(themes, labels=names)), "theme heatmap")
                          + _table(wide.reset_index())))

    records = extract_targets(corpus)
    by_region = compare_targets(records, corpus, by="region", kind=settings.target_kind)
    n_cells, n_groups = len(by_region), by_region["region"].nunique() if "region" in by_region else 0
    target_body = _details(f"{settings.target_kind.capitalize()}s per indicator and region "
                           f"({n_cells} cells, {n_groups} regions; one value per cell)", _table(by_region),
                           opened=opened)
    if not records.empty:
        counts = coverage(records).rename(columns=names).rename_axis(columns=None)
        if counts.shape[1] > MANY_GROUPS:  # documents as rows
            counts = counts.T.rename_axis(index="document", columns=None)
        target_body += _details(
            f"Records per indicator and document ({len(records)} records, {records['doc_id'].nunique()} documents)",
            _img(figure_png(plot_coverage(records, labels=names)), "records per indicator and document")
            + _table(counts.reset_index()), opened=opened)
    parts.append(_section("targets", f"Quantitative targets · {len(records)} records", target_body))

    recorded = {"workbench": __version__, "report": asdict(settings),
                "topics": json.loads(model.settings.to_json()) if model is not None else None,
                "documents": corpus.doc_ids, "corpus_settings": getattr(corpus, "settings", {})}
    parts.append(_section("settings", "Settings",
                          f"<pre>{html.escape(json.dumps(recorded, ensure_ascii=False, indent=2, default=str))}</pre>"))

    nav = "".join(f"<a href='#{s}'>{s}</a>" for s in SECTIONS)
    return ("<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>"
            f"<title>Policy Text Workbench report</title><style>{STYLE}</style></head><body>"
            f"<h1>Policy Text Workbench report</h1><nav>{nav}</nav>{''.join(parts)}</body></html>\n")


def write_report(corpus, path: str | Path, *, settings: ReportSettings = ReportSettings(),
                 overwrite: bool = False) -> Path:
    """Write :func:`build_report` to ``path`` atomically; an existing file is replaced only with ``overwrite``.

    Missing folders are created (:func:`workbench.output.atomic_path`); a path that cannot
    be written raises :class:`workbench.output.OutputError` naming it.
    """
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise ValueError(f"{path}: the report is HTML; give a path ending in .html")
    if path.is_file() and not overwrite:
        raise FileExistsError(f"{path} exists; pass overwrite=True (CLI: --force) to replace it")
    text = build_report(corpus, settings)
    with atomic_path(path, suffix=".html") as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path
