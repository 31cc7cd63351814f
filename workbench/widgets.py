"""Interactive views for notebooks, built from plain functions that return HTML.

Each widget wraps a pure rendering function (tested without a browser): the
controls' observers write the function's HTML into an ``ipywidgets.HTML``, so
the static call and the widget show the same thing, and a test can set a
control's ``.value`` and read the result without a kernel.
"""
from __future__ import annotations

import html

from .corpus import Corpus


def paragraph_html(corpus: Corpus, doc_id: str, paragraph: int) -> str:
    """HTML showing one clean paragraph beside the stretch of original text it came from."""
    paras = corpus.paragraphs[corpus.paragraphs["doc_id"] == doc_id]
    if paras.empty:
        raise KeyError(f"no document {doc_id!r}")
    if not 0 <= paragraph < len(paras):
        raise ValueError(f"paragraph must be between 0 and {len(paras) - 1}, not {paragraph}")
    row = paras.iloc[paragraph]
    original = corpus.document(doc_id)["original"]
    if row["orig_start"] is not None and row["orig_start"] == row["orig_start"]:
        source = original[int(row["orig_start"]):int(row["orig_end"])]
    else:
        source = "(not found in the original text)"
    cell = "vertical-align:top;padding:6px;border:1px solid #ddd;width:50%;white-space:pre-wrap;font-size:14px"
    return (
        f"<div><b>{html.escape(doc_id)}</b> · paragraph {paragraph + 1} of {len(paras)}"
        f" · clean characters {row['start']}–{row['end']}</div>"
        "<table style='width:100%;border-collapse:collapse;table-layout:fixed'>"
        "<tr><th>clean</th><th>original (as in the file)</th></tr>"
        f"<tr><td style='{cell}'>{html.escape(row['text'])}</td>"
        f"<td style='{cell};background:#fafafa'>{html.escape(source)}</td></tr></table>"
    )


def corpus_browser(corpus: Corpus):
    """A document picker and paragraph slider showing clean and original text side by side."""
    import ipywidgets as w

    labels = [(f"{r.doc_id} · {r.title or ''}"[:60], r.doc_id) for r in corpus.documents.itertuples()]
    doc = w.Dropdown(options=labels, description="document", layout=w.Layout(width="60%"))
    para = w.IntSlider(min=1, max=1, value=1, description="paragraph", continuous_update=False)

    def sync_range(change=None):
        n = int((corpus.paragraphs["doc_id"] == doc.value).sum())
        para.max = max(n, 1)
        para.value = min(para.value, para.max)

    view = w.HTML()

    def render(change=None):
        view.value = paragraph_html(corpus, doc.value, para.value - 1)

    sync_range()
    doc.observe(sync_range, names="value")
    doc.observe(render, names="value")
    para.observe(render, names="value")
    render()
    return w.VBox([w.HBox([doc, para]), view])



def highlight_html(record) -> str:
    """A record's sentence with its number and unit marked (``<mark>``)."""
    sentence = record["sentence_text"]
    start = int(record["start"]) - int(record["sentence_start"])
    end = int(record["end"]) - int(record["sentence_start"])
    if not (0 <= start < end <= len(sentence)):
        return html.escape(sentence)
    return (html.escape(sentence[:start]) + "<mark><b>" + html.escape(sentence[start:end]) + "</b></mark>"
            + html.escape(sentence[end:]))


def target_explorer(records, corpus=None):
    """Filter records by document, kind, indicator and year; choose one to see its sentence
    with the number highlighted; the comparison table follows the filters."""
    import ipywidgets as w

    from .compare import compare_targets, filter_targets

    every = "(all)"
    doc = w.Dropdown(options=[every, *sorted(records["doc_id"].unique())], description="document")
    kind = w.Dropdown(options=[every, "target", "achieved"], description="kind")
    indicator = w.Dropdown(options=[every, *sorted(records["indicator_id"].unique())], description="indicator")
    year = w.Dropdown(options=[every, *sorted(int(y) for y in records["year"].dropna().unique())], description="year")
    pick = w.Select(options=[], rows=8, layout=w.Layout(width="100%"), description="record")
    sentence, table = w.HTML(), w.HTML()

    def current():
        value = lambda c: None if c.value == every else c.value  # noqa: E731
        return filter_targets(records, kind=value(kind), year=value(year), indicator=value(indicator),
                              doc_ids=None if doc.value == every else [doc.value])

    def show(change=None):
        data = current()
        if pick.value is None or pick.value >= len(data):
            sentence.value = "<i>choose a record</i>"
        else:
            sentence.value = f"<div style='font-size:15px;line-height:1.6'>{highlight_html(data.iloc[pick.value])}</div>"

    def refresh(change=None):
        data = current()
        pick.options = [(f"{r.doc_id[:3]} · {r.kind} · {r.indicator_id} · " + " ".join(r.quote.split())[:40], i)
                        for i, r in enumerate(data.itertuples())]
        by = "region" if corpus is not None else "doc_id"
        comparison = compare_targets(data, corpus, by=by)
        table.value = f"<p>{len(data)} records</p>" + comparison.to_html(index=False)
        show()

    for control in (doc, kind, indicator, year):
        control.observe(refresh, names="value")
    pick.observe(show, names="value")
    refresh()
    return w.VBox([w.HBox([doc, kind]), w.HBox([indicator, year]), pick, sentence, table])
