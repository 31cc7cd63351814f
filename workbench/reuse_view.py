"""Seeing text reuse: two documents side by side with their shared passages, a matrix of reuse shares, a widget.

Built like :mod:`workbench.widgets`: plain functions return HTML or a figure (tested
without a browser), and the widget only writes their output into ``ipywidgets`` controls.
"""
from __future__ import annotations

import hashlib
import html

import numpy as np
import pandas as pd

from .corpus import Corpus

SHARED_COLOR = "#ffe08a"
COMMON_COLOR = "#dde3ea"


def _pair_passages(result, source_doc: str, target_doc: str, *, common: bool) -> pd.DataFrame:
    passages = result.passages
    rows = passages[(passages["source_doc"] == source_doc) & (passages["target_doc"] == target_doc)]
    if not common:
        rows = rows[~rows["common"]]
    return rows.reset_index(drop=True)


def _marked(text: str, spans: list[tuple[int, int, int, bool]], *, side: str, other: str, prefix: str) -> str:
    """``text`` as HTML with each span ``(start, end, number, common)`` in a ``<mark>`` that links
    to the same passage in the other column; overlapping parts are marked once."""
    out, cursor = [], 0
    for start, end, number, is_common in sorted(spans):
        start = max(start, cursor)
        if start >= end:
            continue
        out.append(html.escape(text[cursor:start]))
        color = COMMON_COLOR if is_common else SHARED_COLOR
        out.append(f"<a id='{prefix}-{side}-{number}' href='#{prefix}-{other}-{number}' "
                   f"style='color:inherit;text-decoration:none'><mark style='background:{color}' "
                   f"title='passage {number}'><sup>{number}</sup>{html.escape(text[start:end])}</mark></a>")
        cursor = end
    out.append(html.escape(text[cursor:]))
    return "".join(out)


def side_by_side_html(result, corpus: Corpus, source_doc: str, target_doc: str, *, common: bool = True) -> str:
    """Two documents' clean text side by side, the passages they share highlighted and linked.

    Each passage carries its number in both columns; clicking it in one column jumps to it in
    the other. Common wording (``common=True`` rows) is shaded grey, pair reuse yellow; pass
    ``common=False`` to leave common wording unmarked.
    """
    for doc in (source_doc, target_doc):
        corpus.document(doc)  # KeyError naming the corpus's documents
    rows = _pair_passages(result, source_doc, target_doc, common=common)
    prefix = "r" + hashlib.sha1(f"{source_doc}\0{target_doc}".encode()).hexdigest()[:8]
    spans = {"s": [], "t": []}
    for number, row in enumerate(rows.itertuples(), start=1):
        spans["s"].append((int(row.source_start), int(row.source_end), number, bool(row.common)))
        spans["t"].append((int(row.target_start), int(row.target_end), number, bool(row.common)))
    share = result.pairs[(result.pairs["source_doc"] == source_doc) & (result.pairs["target_doc"] == target_doc)]
    summary = (f"{len(rows)} passages · {float(share['share'].iloc[0]):.1%} of the target's text found in the source"
               if len(share) else f"{len(rows)} passages")
    cell = ("vertical-align:top;padding:8px;border:1px solid #ddd;width:50%;white-space:pre-wrap;"
            "font-size:14px;line-height:1.7")
    columns = []
    for side, other, doc in (("s", "t", source_doc), ("t", "s", target_doc)):
        marked = _marked(corpus.document(doc)["text"], spans[side], side=side, other=other, prefix=prefix)
        columns.append(f"<td style='{cell}'>{marked}</td>")
    return (f"<div class='wb-reuse'><div><b>{html.escape(source_doc)}</b> (source) → "
            f"<b>{html.escape(target_doc)}</b> (target) · {summary}</div>"
            "<table style='width:100%;border-collapse:collapse;table-layout:fixed'>"
            f"<tr><th>{html.escape(source_doc)}</th><th>{html.escape(target_doc)}</th></tr>"
            f"<tr>{''.join(columns)}</tr></table></div>")


def write_side_by_side(result, corpus: Corpus, source_doc: str, target_doc: str, path) -> None:
    """Write :func:`side_by_side_html` as a standalone HTML page."""
    from pathlib import Path

    from .output import atomic_path

    body = side_by_side_html(result, corpus, source_doc, target_doc)
    page = ("<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'>"
            f"<title>{html.escape(source_doc)} → {html.escape(target_doc)}</title></head><body>{body}</body></html>")
    with atomic_path(Path(path)) as tmp:
        tmp.write_text(page, encoding="utf-8")


def plot_reuse_matrix(result, *, value: str = "share", labels: dict | None = None):
    """Heatmap of :meth:`~workbench.reuse.ReuseResult.matrix`: sources (rows) × targets (columns).

    A cell is the share of the target's text found in the source (``value="share"``) or in
    common wording shared with it (``"common_share"``). ``labels`` maps doc_id to what to print.
    """
    import matplotlib.pyplot as plt

    from .fonts import apply_cjk_font
    from .viz import _short

    table = result.matrix(value=value)
    if table.empty:
        raise ValueError("no source or target documents to draw")
    apply_cjk_font()
    values = table.to_numpy(dtype=float)
    n_rows, n_cols = values.shape
    fig, ax = plt.subplots(figsize=(2.5 + 0.45 * n_cols, 1.8 + 0.4 * n_rows))
    image = ax.imshow(np.ma.masked_invalid(values), cmap="magma_r", vmin=0, aspect="auto")
    ax.set_xticks(range(n_cols), [_short((labels or {}).get(c, c)) for c in table.columns], rotation=60, ha="right")
    ax.set_yticks(range(n_rows), [_short((labels or {}).get(r, r)) for r in table.index])
    ax.set_xlabel("target")
    ax.set_ylabel("source")
    if n_rows * n_cols <= 400:
        top = np.nanmax(values) if np.isfinite(values).any() else 0
        for (i, j), v in np.ndenumerate(values):
            if v == v and v > 0:
                shown = (f"{v:.1%}" if v < 0.1 else f"{v:.0%}") if value.endswith("share") else f"{v:g}"
                ax.text(j, i, shown, ha="center", va="center",
                        fontsize=7, color="white" if v > top / 2 else "black")
    fig.colorbar(image, ax=ax, label={"share": "share of the target found in the source",
                                      "common_share": "share of the target in common wording"}.get(value, value))
    fig.tight_layout()
    return fig


def reuse_explorer(result, corpus: Corpus):
    """Pick a (source, target) pair from the pairs table; see both texts with their passages.

    The list is ordered by share, largest first; the checkbox hides common wording.
    """
    import ipywidgets as w

    pairs = result.pairs.sort_values(["share", "common_share", "source_doc", "target_doc"],
                                     ascending=[False, False, True, True], kind="stable")
    options = [(f"{r.source_doc} → {r.target_doc} · {r.share:.1%} shared, {r.passages} passages",
                (r.source_doc, r.target_doc)) for r in pairs.itertuples()]
    pick = w.Dropdown(options=options or [("(no shared passage)", None)], description="pair",
                      layout=w.Layout(width="80%"))
    common = w.Checkbox(value=True, description="show common wording")
    view = w.HTML()

    def render(change=None):
        if pick.value is None:
            view.value = "<i>no pair shares a passage</i>"
        else:
            view.value = side_by_side_html(result, corpus, *pick.value, common=common.value)

    pick.observe(render, names="value")
    common.observe(render, names="value")
    render()
    return w.VBox([w.HBox([pick, common]), view])
