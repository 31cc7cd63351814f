"""Interactive views for notebooks, built from plain functions that return HTML.

Each widget wraps a pure rendering function (tested without a browser): the
controls' observers write the function's HTML into an ``ipywidgets.HTML``, so
the static call and the widget show the same thing, and a test can set a
control's ``.value`` and read the result without a kernel.
"""
from __future__ import annotations

import html
import io
from collections import Counter, OrderedDict

from .attainment import attainment
from .compare import compare_targets, filter_targets, group_column
from .corpus import Corpus
from .groups import TIME_LIKE, document_groups, group_order, groupings, ordered_groups
from .keywords import METHODS, rank_terms
from .kwic import kwic
from .output import format_floats
from .segment import segment_corpus
from .terms import grouped_terms
from .similarity import document_similarity, most_similar
from .themes import load_themes, theme_coverage, theme_matches, theme_table
from .topics import TopicSettings, build_model, topic_summary, topic_units, vectorize
from .viz import make_wordcloud, plot_attainment, plot_targets, ranking_weights


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
        shown = "achieved" if kind.value == "achieved" else "target"
        comparison = compare_targets(data, corpus, by=by, kind=shown)
        table.value = f"<p>{len(data)} records</p>" + comparison.to_html(index=False)
        show()

    for control in (doc, kind, indicator, year):
        control.observe(refresh, names="value")
    pick.observe(show, names="value")
    refresh()
    return w.VBox([w.HBox([doc, kind]), w.HBox([indicator, year]), pick, sentence, table])


def figure_bytes(fig) -> bytes:
    """PNG bytes of a matplotlib figure, which is then closed."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def target_comparison_view(records, corpus=None, *, view: str = "compare", indicator: str, measure=None, year=None,
                           by: str = "region", group=None):
    """The table and chart :func:`target_comparison` shows: ``compare`` (one value per group,
    :func:`~workbench.compare.compare_targets`, a dot plot) or ``attainment`` (targets against
    results over the years, :func:`~workbench.attainment.attainment`); ``group`` keeps one group."""
    if view not in ("compare", "attainment"):
        raise ValueError(f"view must be 'compare' or 'attainment', not {view!r}")
    if view == "compare":
        table = compare_targets(records, corpus, by=by, indicator=indicator, measure=measure, year=year)
    else:
        table = attainment(records, corpus, by=by, indicator=indicator, measure=measure)
        if year is not None:
            table = table[table["year"] <= year]
    if group is not None:
        table = table[table[group_column(by)] == group].reset_index(drop=True)
    return table


def target_comparison(records, corpus=None):
    """Pick indicator, measure, year, grouping and group: the one-value-per-cell table and its dot
    plot, or (``attainment``) each target against its result and the chart over the years."""
    import ipywidgets as w

    every = "(all)"
    view = w.ToggleButtons(options=["compare", "attainment"], value="compare", description="view")
    indicator = w.Dropdown(options=sorted(records["indicator_id"].dropna().unique()), description="indicator")
    if "gdp" in indicator.options:
        indicator.value = "gdp"
    measure = w.Dropdown(options=[every, *sorted(records["measure"].dropna().unique())], description="measure")
    if "growth" in measure.options:
        measure.value = "growth"
    year = w.Dropdown(options=[every, *sorted(int(y) for y in records["year"].dropna().unique())], description="year")
    choices = [g for g in groupings(corpus) if g != "section_role"] if corpus is not None else ["doc_id"]
    by = w.Dropdown(options=choices, value="region" if "region" in choices else choices[0], description="group by")
    group = w.Dropdown(options=[every], description="group")
    status, table = w.HTML(), w.HTML()
    image = w.Image(format="png", layout=w.Layout(max_width="100%"))
    value = lambda c: None if c.value == every else c.value  # noqa: E731

    def sync_groups(change=None):
        if corpus is not None:
            labels = group_order(document_groups(corpus, by.value).tolist(), by.value)
        else:
            labels = sorted(records["doc_id"].unique())
        group.options = [every, *labels]
        group.value = every

    def render(change=None):
        try:
            shown = target_comparison_view(records, corpus, view=view.value, indicator=indicator.value,
                                           measure=value(measure), year=value(year), by=by.value, group=value(group))
        except ValueError as exc:
            status.value = f"<span style='color:#b00'>{html.escape(str(exc))}</span>"
            table.value, image.value = "", b""
            return
        status.value = f"{view.value} · {html.escape(indicator.value)} · {len(shown)} rows"
        table.value = table_html(shown)
        try:
            fig = plot_targets(shown) if view.value == "compare" else plot_attainment(shown)
            image.value = figure_bytes(fig)
        except ValueError:
            image.value = b""

    sync_groups()
    by.observe(sync_groups, names="value")
    for control in (view, indicator, measure, year, by, group):
        control.observe(render, names="value")
    render()
    return w.VBox([view, w.HBox([indicator, measure, year]), w.HBox([by, group]), status, image,
                   w.Box([table], layout=w.Layout(overflow="auto"))])


def table_html(table, *, max_rows: int = 60, digits: int = 4) -> str:
    """A DataFrame as an HTML table, floats to ``digits`` significant digits."""
    shown = format_floats(table.head(max_rows), digits)
    more = f"<p><i>{len(table) - max_rows} more rows</i></p>" if len(table) > max_rows else ""
    return shown.to_html(index=False, border=0, classes="wb-table") + more


def wordcloud_png(table, group, *, by: str, width: int = 360, height: int = 240) -> bytes:
    """PNG bytes of a word cloud of one group's ranking (empty bytes when nothing can be drawn).

    Drawn for a widget that redraws on each change: the heaviest word is at most 2/5 of the
    height and a word that does not fit shrinks 2 pixels at a time, so the font is loaded a
    few dozen times, not a few hundred (see :func:`~workbench.viz.make_wordcloud`).
    """
    try:
        cloud = make_wordcloud(ranking_weights(table, group, by=by), width=width, height=height,
                               max_font_size=max(4, height * 2 // 5), font_step=2)
    except ValueError:
        return b""
    buffer = io.BytesIO()
    cloud.to_image().save(buffer, format="PNG")
    return buffer.getvalue()


def kwic_html(corpus, term: str, *, window: int = 15, max_rows: int = 50) -> str:
    """KWIC lines as an HTML table, the match in bold; an error message for a bad pattern."""
    if not term.strip():
        return "<i>type a term</i>"
    try:
        lines = kwic(corpus, term.strip(), window=window)
    except ValueError as exc:
        return f"<span style='color:#b00'>{html.escape(str(exc))}</span>"
    rows = "".join(
        f"<tr><td>{html.escape(r.doc_id[:3])}·{r.paragraph + 1}</td><td style='text-align:right'>{html.escape(r.left)}</td>"
        f"<td><b>{html.escape(r.match)}</b></td><td>{html.escape(r.right)}</td></tr>"
        for r in lines.head(max_rows).itertuples())
    return f"<p>{len(lines)} occurrences</p><table class='wb-kwic'>{rows}</table>"


NGRAM_CHOICES = (("words", (1, 1)), ("words + bigrams", (1, 2)), ("bigrams", (2, 2)))
STOPWORD_CHOICES = (("general + policy", ("general", "policy")), ("general", ("general",)), ("none", None))


REST = "(rest)"


def group_choices(corpus, *, units: bool = False) -> list[str]:
    """The groupings a picker offers: ``doc_id`` first, then columns with at least one value, then
    ``decade``/``plan_period`` when there are years (``section_role`` too with ``units``)."""
    docs = corpus.documents
    has_years = "year" in docs and docs["year"].notna().any()
    out = []
    for by in groupings(corpus):
        if by in ("decade", "plan_period"):
            if has_years:
                out.append(by)
        elif by == "section_role":
            if units and "role" in corpus.sections and (corpus.sections["role"].fillna("") != "").any():
                out.append(by)
        elif by in docs and docs[by].notna().any() and by not in ("region_code", "script"):
            out.append(by)
    return sorted(out, key=lambda b: (b != "doc_id", b not in TIME_LIKE, 0))


def group_labels(corpus, by: str) -> list:
    """The groups of ``by`` in their table order (time order for years, decades, plan periods)."""
    if by == "section_role":
        roles = [r for r in corpus.sections["role"].tolist() if isinstance(r, str) and r]
        return list(dict.fromkeys(roles))
    return ordered_groups(document_groups(corpus, by).tolist(), by)


def keyword_explorer(corpus, *, cloud: bool = True):
    """Ranked keywords with every knob: grouping, group (A), reference (B), method, top-N, n-grams,
    stopwords, IDF unit.

    ``group by`` is any grouping (:mod:`workbench.groups`): documents, years, decades, plan
    periods, regions, section roles (keyness and log-odds). With keyness or log-odds, ``against``
    compares the group with the rest or with another group B (both directions). The table
    (with its tf/df/idf or G² columns) and a word cloud update on each change; a KWIC box
    below looks up any term. Segmentation is done once, up front.
    """
    import ipywidgets as w

    tokens = segment_corpus(corpus)
    by = w.Dropdown(options=group_choices(corpus, units=True), value="doc_id", description="group by")
    group = w.Dropdown(description="group", layout=w.Layout(width="45%"))
    reference = w.Dropdown(options=[REST], value=REST, description="against", layout=w.Layout(width="30%"))
    method = w.Dropdown(options=METHODS, value="tfidf", description="method")
    top = w.IntSlider(value=15, min=5, max=60, step=5, description="top N", continuous_update=False)
    ngram = w.Dropdown(options=NGRAM_CHOICES, value=(1, 1), description="n-grams")
    stop = w.Dropdown(options=STOPWORD_CHOICES, value=("general", "policy"), description="stopwords")
    idf_unit = w.ToggleButtons(options=["document", "paragraph"], value="document", description="IDF unit")
    table, status = w.HTML(), w.HTML()
    image = w.Image(format="png", layout=w.Layout(width="480px", height="320px", object_fit="contain"))
    term = w.Text(description="KWIC", placeholder="a term, e.g. 高质量发展")
    window = w.IntSlider(value=15, min=5, max=40, description="window", continuous_update=False)
    lines = w.HTML()
    titles = corpus.documents.set_index("doc_id")["title"].fillna("")
    syncing = {"on": False}

    def sync_groups(change=None):
        labels = group_labels(corpus, by.value)
        syncing["on"] = True  # one render after both pickers are set, not three
        try:
            group.options = [(f"{g} · {titles[g][:24]}" if by.value == "doc_id" else str(g), g) for g in labels]
            reference.options = [(REST, REST), *[(str(g), g) for g in labels]]
            reference.value = REST
            group.value = labels[0] if labels else None
        finally:
            syncing["on"] = False
        render()

    rankings, clouds, grouped = {}, {}, {}  # memo: a setting seen before is shown at once

    def render(change=None):
        if syncing["on"]:
            return
        options = {"stopwords": stop.value}
        if method.value not in ("jieba-tfidf", "textrank"):
            options.update(ngram=ngram.value, tokens=tokens)
        if method.value == "tfidf":
            options["idf_unit"] = idf_unit.value
        idf_unit.disabled = method.value != "tfidf"
        ngram.disabled = method.value in ("jieba-tfidf", "textrank")
        pairwise = method.value in ("keyness", "log-odds")
        reference.disabled = not pairwise
        b = reference.value if pairwise and reference.value != REST else None
        # Rank once up to the slider's maximum (top N is a slice); corpus-wide methods rank every
        # group in one go, so choosing another document is a slice too; A against B is ranked per pair.
        if pairwise:  # each group against the rest, and many pairs of one grouping: the terms are grouped once
            grouping = (by.value, stop.value, ngram.value)
            if grouping not in grouped:
                terms = grouped_terms(corpus, by.value, ngram=ngram.value, stopwords=stop.value, tokens=tokens)
                grouped[grouping] = terms.assign(counts=terms["terms"].map(Counter))  # counted once per grouping
            options["groups"] = grouped[grouping]
        every_group = method.value in ("tfidf", "keyness", "log-odds") and b is None
        key = (method.value, None if every_group else group.value, b, by.value, stop.value, ngram.value,
               idf_unit.value)
        try:
            if group.value == b:
                raise ValueError("choose two different groups to compare (A and B)")
            if key not in rankings:
                rankings[key] = rank_terms(corpus, method.value, group=None if every_group else group.value,
                                           by=by.value, reference=b, top=top.max, **options)
        except ValueError as exc:
            status.value = f"<span style='color:#b00'>{html.escape(str(exc))}</span>"
            return
        ranked = rankings[key]
        ranking = ranked[(ranked[by.value] == group.value) & (ranked["rank"] <= top.value)]
        against = f" against <b>{html.escape(str(b))}</b> (over: A's words, under: B's)" if b is not None else ""
        status.value = f"<b>{html.escape(str(group.value))}</b>{against} · {method.value} · {len(ranking)} terms"
        table.value = table_html(ranking.drop(columns=[by.value]))
        if cloud:
            shown = ranking[ranking["direction"] == "over"] if "direction" in ranking else ranking
            if (key, group.value, top.value) not in clouds:
                clouds[(key, group.value, top.value)] = wordcloud_png(shown, group.value, by=by.value)
            image.value = clouds[(key, group.value, top.value)]

    def look_up(change=None):
        lines.value = kwic_html(corpus, term.value, window=window.value)

    by.observe(sync_groups, names="value")
    for control in (group, reference, method, top, ngram, stop, idf_unit):
        control.observe(render, names="value")
    term.observe(look_up, names="value")
    window.observe(look_up, names="value")
    sync_groups()
    look_up()
    controls = w.VBox([w.HBox([by, group, reference]), w.HBox([method, top]), w.HBox([ngram, stop]), idf_unit])
    return w.VBox([controls, status, w.HBox([w.Box([table], layout=w.Layout(width="55%", overflow="auto")), image]),
                   w.HBox([term, window]), lines])


def figure_png(fig, *, dpi: int = 90) -> bytes:
    """A matplotlib figure as PNG bytes (the figure is closed)."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    plt.close(fig)
    return buffer.getvalue()


def _terms_of(text: str) -> list[str]:
    return list(dict.fromkeys(t for t in text.replace("，", ",").replace("、", ",").replace(" ", ",").split(",")
                              if t.strip()))


def trends_explorer(corpus, terms=("改革", "创新", "高质量发展"), *, by: str = "year"):
    """Type terms, choose the grouping (year, decade, plan period, …), count as tokens or in the
    text; the trend chart and its table (:func:`~workbench.trends.term_trends`) follow.
    Segmentation and each document's token counts are done once, up front."""
    import ipywidgets as w
    from matplotlib.figure import Figure

    from .fonts import apply_cjk_font
    from .trends import plot_trends, term_trends, token_counts

    tokens = segment_corpus(corpus)
    counts = token_counts(tokens)
    choices = [b for b in group_choices(corpus) if b != "doc_id"] or ["doc_id"]
    box = w.Text(value=", ".join(terms), description="terms", layout=w.Layout(width="50%"))
    group_by = w.Dropdown(options=choices, value=by if by in choices else choices[0], description="by")
    count = w.ToggleButtons(options=["tokens", "text"], value="tokens", description="count")
    value = w.ToggleButtons(options=[("per 10,000", "per_10k"), ("raw count", "count")], value="per_10k",
                            description="show")
    status, table = w.HTML(), w.HTML()
    image = w.Image(format="png", layout=w.Layout(max_width="100%"))
    apply_cjk_font()
    figure = Figure(figsize=(9, 3.8))  # one figure, redrawn on each change (not kept by pyplot)
    axes = figure.add_subplot()
    figure.subplots_adjust(left=0.08, right=0.98, bottom=0.14, top=0.9)

    def render(change=None):
        chosen = _terms_of(box.value)
        if not chosen:
            status.value = "<i>type one or more terms, separated by commas</i>"
            return
        try:
            data = term_trends(corpus, chosen, by=group_by.value, count=count.value, tokens=tokens, counts=counts)
        except ValueError as exc:
            status.value = f"<span style='color:#b00'>{html.escape(str(exc))}</span>"
            return
        status.value = (f"{len(chosen)} terms · {data['group'].nunique()} groups · counted as "
                        f"{'tokens' if count.value == 'tokens' else 'text occurrences'}")
        plot_trends(data, value=value.value, ax=axes)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=80)
        image.value = buffer.getvalue()
        wide = data.pivot(index="group", columns="term", values=value.value).reindex(
            index=list(dict.fromkeys(data["group"])), columns=chosen).rename_axis(columns=None).reset_index()
        table.value = table_html(wide, max_rows=80)

    for control in (box, group_by, count, value):
        control.observe(render, names="value")
    render()
    return w.VBox([w.HBox([box, group_by]), w.HBox([count, value]), status, image, table])


def network_explorer(corpus, *, by: str | None = None, interactive: bool = True, max_nodes: int = 80):
    """A co-word network with its knobs: group (with ``by``), edge weight, minimum count, number
    of terms; an interactive ipysigma view (``interactive=True``, needs WebGL) or the static
    picture of :func:`~workbench.network.plot_network`, with the strongest links as a table.
    The sentences' terms are made once, up front."""
    import ipywidgets as w

    from .network import WEIGHTS, network_from_terms, network_tables, network_widget, plot_network
    from .terms import unit_terms

    tokens = segment_corpus(corpus)
    units = unit_terms(corpus, unit="sentence", tokens=tokens)
    sentences = units["terms"].tolist()
    if by is None:
        labels, per_group = [None], {None: sentences}
    else:
        doc_label = document_groups(corpus, by).to_dict()
        unit_label = [doc_label.get(d) for d in units["doc_id"].tolist()]
        labels = ordered_groups(unit_label, by)
        per_group = {g: [] for g in labels}
        for g, terms in zip(unit_label, sentences):
            if g is not None and g in per_group:
                per_group[g].append(terms)
    group = w.Dropdown(options=[("(whole corpus)" if g is None else str(g), g) for g in labels], value=labels[0],
                       description="group", disabled=by is None)
    weight = w.Dropdown(options=WEIGHTS, value="count", description="weight")
    min_count = w.IntSlider(value=3, min=1, max=30, description="min count", continuous_update=False)
    nodes = w.IntSlider(value=max_nodes, min=10, max=200, step=10, description="terms", continuous_update=False)
    status, edges = w.HTML(), w.HTML()
    view = w.Box(layout=w.Layout(width="100%"))
    graphs, pictures = {}, {}

    def render(change=None):
        key = (group.value, weight.value, min_count.value, nodes.value)
        if key not in graphs:
            graphs[key] = network_from_terms(per_group[group.value], weight=weight.value, min_count=min_count.value,
                                             max_nodes=nodes.value)
        graph = graphs[key]
        n_comm = len({d["community"] for _, d in graph.nodes(data=True)})
        status.value = (f"{html.escape('whole corpus' if group.value is None else str(group.value))} · "
                        f"{graph.number_of_nodes()} terms · {graph.number_of_edges()} links · {n_comm} communities")
        if interactive and graph.number_of_nodes():
            view.children = [network_widget(graph, height=480)]
        else:  # the picture of a setting seen before is shown at once
            if key not in pictures:
                pictures[key] = figure_png(plot_network(graph, label_top=40, max_edges=250), dpi=72)
            view.children = [w.Image(value=pictures[key], format="png", layout=w.Layout(max_width="100%"))]
        edges.value = table_html(network_tables(graph)[1], max_rows=15)

    for control in (group, weight, min_count, nodes):
        control.observe(render, names="value")
    render()
    return w.VBox([w.HBox([group, weight]), w.HBox([min_count, nodes]), status, view, edges])


def heatmap_html(table, *, digits: int = 2) -> str:
    """A wide table of shares as an HTML heatmap (cell shade ∝ value; the numbers stay readable)."""
    top = float(table.to_numpy().max()) or 1.0
    head = "".join(f"<th style='writing-mode:vertical-rl;max-height:9em'>{html.escape(str(c))}</th>" for c in table.columns)
    rows = []
    for name, values in table.iterrows():
        cells = "".join(
            f"<td style='background:rgba(33,102,172,{v / top:.2f});color:{'#fff' if v > top / 2 else '#000'};"
            f"text-align:center'>{v:.{digits}f}</td>" for v in values)
        rows.append(f"<tr><th style='text-align:left'>{html.escape(str(name))}</th>{cells}</tr>")
    return f"<table class='wb-heatmap'><tr><th></th>{head}</tr>{''.join(rows)}</table>"


def representative_html(model, *, n: int = 2, chars: int = 160) -> str:
    """Each topic's most typical units: document, paragraph, share and the opening of the text."""
    parts = []
    for topic, group in model.representative(n).groupby("topic", sort=True):
        items = "".join(f"<li><small>{html.escape(r.doc_id[:3])} ¶{r.paragraph + 1} · share {r.share:.2f}</small> "
                        f"{html.escape(r.text[:chars])}{'…' if len(r.text) > chars else ''}</li>" for r in group.itertuples())
        parts.append(f"<p><b>{topic} · {html.escape(model.labels[topic])}</b></p><ul>{items}</ul>")
    return "".join(parts)


UNIT_CHOICES = ("paragraph", "sentences:3", "sentences:5", "sentences:10")
SEEN_MODELS = 12  # topic models a topic explorer keeps, with their tables, for settings chosen again


def _keep_last(memo: OrderedDict, n: int) -> None:
    """Drop the oldest entries of ``memo`` until ``n`` are left."""
    while len(memo) > n:
        memo.popitem(last=False)


def topic_explorer(corpus, *, k: int = 8):
    """Method, k, unit and seed; the topic table, a document × topic heatmap and representative paragraphs follow."""
    import ipywidgets as w

    tokens = segment_corpus(corpus)
    matrices = {}  # unit → (units, counts, vocabulary): vectorize once per unit setting

    def fit(settings):
        if settings.unit not in matrices:
            units = topic_units(corpus, settings, tokens=tokens)
            matrices[settings.unit] = (units, *vectorize(units, settings))
        units, counts, vocabulary = matrices[settings.unit]
        if counts.shape[1] < settings.k:
            raise ValueError(f"only {counts.shape[1]} terms: too few for k={settings.k}")
        return build_model(settings, units, counts, vocabulary)

    method = w.Dropdown(options=["nmf", "lda"], value="nmf", description="method")
    k_slider = w.IntSlider(value=k, min=2, max=20, description="k", continuous_update=False)
    unit = w.Dropdown(options=UNIT_CHOICES, value="paragraph", description="unit")
    seed = w.BoundedIntText(value=0, min=0, max=2**31 - 1, description="seed", layout=w.Layout(width="180px"))
    by = w.Dropdown(options=group_choices(corpus, units=True), value="doc_id", description="rows")
    status, table, heatmap, examples = w.HTML(), w.HTML(), w.HTML(), w.HTML()
    state = {}
    # A setting seen before is shown at once: its model and HTML are kept (the last SEEN_MODELS
    # settings; the fits are deterministic, so a kept one equals a refit), and its heatmaps.
    shown: OrderedDict = OrderedDict()  # settings → (model, status, table, examples)
    heatmaps: OrderedDict = OrderedDict()  # (settings, rows) → HTML

    def refit(change=None):
        settings = TopicSettings(method=method.value, k=k_slider.value, unit=unit.value, seed=seed.value)
        if settings not in shown:
            try:
                model = fit(settings)
            except ValueError as exc:
                status.value = f"<span style='color:#b00'>{html.escape(str(exc))}</span>"
                return
            shown[settings] = (model, f"<code>{html.escape(settings.method)} k={settings.k} unit={settings.unit} "
                                      f"seed={settings.seed}</code> · {len(model.units)} units · "
                                      f"{len(model.vocabulary)} terms",
                               table_html(topic_summary(model), digits=3), representative_html(model))
            _keep_last(shown, SEEN_MODELS)
        shown.move_to_end(settings)
        state["model"], status.value, table.value, examples.value = shown[settings]
        show_heatmap()

    def show_heatmap(change=None):
        if "model" in state:
            key = (state["model"].settings, by.value)
            if key not in heatmaps:
                try:
                    heatmaps[key] = heatmap_html(state["model"].shares_by(by.value, corpus))
                except ValueError as exc:  # section_role with sentence-window units
                    heatmaps[key] = f"<span style='color:#b00'>{html.escape(str(exc))}</span>"
                _keep_last(heatmaps, SEEN_MODELS * 4)
            heatmap.value = heatmaps[key]

    for control in (method, k_slider, unit, seed):
        control.observe(refit, names="value")
    by.observe(show_heatmap, names="value")
    refit()
    return w.VBox([w.HBox([method, k_slider]), w.HBox([unit, seed, by]), status, table, heatmap, examples])


def compare_explorer(corpus, *, themes=None):
    """Choose documents, the representation (TF-IDF or topic shares) and a theme; see how alike the plans are
    and what share of their words each theme takes, with the matched terms behind it.

    ``themes`` is a theme dictionary for :func:`~workbench.themes.load_themes` (default: the shipped one).
    """
    import ipywidgets as w

    tokens = segment_corpus(corpus)
    dictionary = load_themes(themes)
    regions = corpus.documents.set_index("doc_id")["region"].fillna("").to_dict()
    docs = w.SelectMultiple(options=[(f"{d[:3]} · {regions[d]}", d) for d in corpus.doc_ids], value=tuple(corpus.doc_ids),
                            rows=min(8, len(corpus)), description="documents")
    representation = w.ToggleButtons(options=["tfidf", "topics"], value="tfidf", description="compare by")
    theme = w.Dropdown(options=list(dict.fromkeys(zip(dictionary["label"], dictionary["theme"]))), description="theme")
    similarity, pairs, coverage, matches, status = w.HTML(), w.HTML(), w.HTML(), w.HTML(), w.HTML()
    cache: dict = {}

    def full_similarity(kind):
        if kind not in cache:
            cache[kind] = document_similarity(corpus, representation=kind, tokens=tokens)
        return cache[kind]

    shares = theme_coverage(corpus, themes=dictionary, tokens=tokens)
    found = theme_matches(corpus, themes=dictionary, tokens=tokens)

    def render(change=None):
        chosen = list(docs.value)
        if len(chosen) < 2:
            status.value = "<span style='color:#b00'>choose at least two documents</span>"
            return
        status.value = f"{len(chosen)} documents · {representation.value}"
        table = full_similarity(representation.value).loc[chosen, chosen]
        table = table.rename(index=lambda d: f"{d[:3]} {regions[d]}", columns=lambda d: f"{d[:3]} {regions[d]}")
        similarity.value = heatmap_html(table)
        pairs.value = table_html(most_similar(table).head(5))
        coverage.value = heatmap_html(theme_table(shares[shares["doc_id"].isin(chosen)]), digits=1)
        render_matches()

    def render_matches(change=None):
        chosen = list(docs.value)
        mine = found[(found["theme"] == theme.value) & found["doc_id"].isin(chosen)]
        grid = mine.pivot_table(index="term", columns="doc_id", values="count", fill_value=0, aggfunc="sum")
        grid = grid.loc[grid.sum(axis=1).sort_values(ascending=False, kind="stable").index]
        grid.columns.name = None
        matches.value = table_html(grid.reset_index(), max_rows=25) if len(grid) else "<i>no matches</i>"

    docs.observe(render, names="value")
    representation.observe(render, names="value")
    theme.observe(render_matches, names="value")
    render()
    return w.VBox([w.HBox([docs, representation]), status, w.HTML("<b>cosine similarity</b>"), similarity, pairs,
                   w.HTML("<b>theme coverage, % of word tokens</b>"), coverage, theme, matches])
