"""Pictures: word clouds, term-frequency and target charts, heatmaps, with a font that draws Chinese.

Heatmaps are sized to their table: a cell is large enough for its number while the
rows are few, and shrinks (never below a readable label) so that fifty documents still
fit on a page; numbers are written into the cells only when the cells can hold them,
and the colour scale spans the values shown.
"""
from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from .compare import compare_targets
from .compare import coverage as record_coverage
from .fonts import apply_cjk_font, cjk_font_path, missing_glyphs
from .similarity import cluster_order

log = logging.getLogger("workbench")

MANY_GROUPS = 12  # with more groups than this, a heatmap puts the groups on its rows


def document_labels(documents: pd.DataFrame, *, prefix: int = 3) -> dict[str, str]:
    """``{doc_id: label}`` for charts and tables: the region and the start of the id.

    The start is the first ``prefix`` characters of every id, or as many more as it takes
    to tell all the ids apart (ids such as ``gwr1954``, ``gwr1955`` are kept whole).

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["001_5d4b", "002_0c8e", "003_75a5"], "region": ["徐州市", None, "泗洪县"]})
    >>> document_labels(docs)
    {'001_5d4b': '徐州市 001', '002_0c8e': '002', '003_75a5': '泗洪县 003'}
    >>> document_labels(pd.DataFrame({"doc_id": ["gwr1954", "gwr1955"], "region": ["全国", "全国"]}))
    {'gwr1954': '全国 gwr1954', 'gwr1955': '全国 gwr1955'}
    """
    ids = [str(d) for d in documents["doc_id"]]
    regions = documents["region"].astype(object).where(documents["region"].notna(), "")
    width = prefix
    while len({d[:width] for d in ids}) < len(set(ids)):
        width += 1
    return {d: f"{r} {d[:width]}".strip() for d, r in zip(ids, regions)}


def _cell_inches(n: int, *, most: float, least: float = 0.2, span: float = 11.0) -> float:
    """Inches for each of ``n`` rows (or columns): ``most`` while they are few; shrinking so that they
    span about ``span`` inches; never less than ``least`` (0.2 inch holds an 8-point label)."""
    return max(least, min(most, span / max(n, 1)))


def _label_points(cell: float) -> float:
    """A tick-label font size (points) that fits a row of ``cell`` inches."""
    return float(min(9.0, max(6.0, 72 * cell * 0.6)))


def _heatmap(table: pd.DataFrame, *, cmap: str, label: str, fmt: str | None = None, vmin: float | None = None,
             xlabels=None, ylabels=None, title: str | None = None):
    """Draw ``table`` as a heatmap sized to its shape; the colour scale runs from ``vmin`` (default: the
    smallest value) to the largest value; cells get their number (``fmt``) when they are big enough."""
    import matplotlib.pyplot as plt

    apply_cjk_font()
    values = table.to_numpy(dtype=float)
    n_rows, n_cols = values.shape
    row, col = _cell_inches(n_rows, most=0.45), _cell_inches(n_cols, most=1.1, least=0.24)
    fig, ax = plt.subplots(figsize=(2.5 + col * n_cols, 1.2 + row * n_rows))
    finite = values[np.isfinite(values)]
    low = (float(finite.min()) if finite.size else 0.0) if vmin is None else vmin
    high = float(finite.max()) if finite.size else 1.0
    high = high if high > low else low + 1.0
    image = ax.imshow(values, cmap=cmap, aspect="auto", vmin=low, vmax=high)
    xlabels = [str(c) for c in table.columns] if xlabels is None else xlabels
    ylabels = [str(r) for r in table.index] if ylabels is None else ylabels
    ax.set_xticks(range(n_cols), xlabels, rotation=30 if n_cols <= MANY_GROUPS else 60, ha="right",
                  fontsize=_label_points(col))
    ax.set_yticks(range(n_rows), ylabels, fontsize=_label_points(row))
    if fmt is not None and row >= 0.28 and col >= 0.5:
        for (i, j), v in np.ndenumerate(values):
            if np.isfinite(v):
                ax.text(j, i, format(v, fmt), ha="center", va="center", fontsize=7,
                        color="white" if (v - low) / (high - low) > 0.6 else "black")
    fig.colorbar(image, ax=ax, label=label, shrink=0.8 if n_rows > MANY_GROUPS else 1.0)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def ranking_weights(table: pd.DataFrame, group: str | None = None, *, by: str | None = None,
                    column: str = "score") -> dict[str, float]:
    """``{term: weight}`` for a word cloud from any ranking table (positive weights only).

    ``by`` is the table's group column (its first column when not given) and
    ``group`` the value to take; a table of one group needs neither. Keyness
    tables give under-used terms negative scores: those are left out.
    """
    by = by or table.columns[0]
    if group is not None:
        table = table[table[by] == group]
    elif by in table and table[by].nunique() > 1:
        raise ValueError(f"the table has {table[by].nunique()} groups in {by!r}; say which one with group=")
    if column not in table:
        raise ValueError(f"the table has no column {column!r}; columns are {', '.join(table.columns)}")
    weights = table.groupby("term", sort=True)[column].max()
    weights = weights[weights > 0]
    if weights.empty:
        raise ValueError(f"no term with a positive {column!r}{'' if group is None else f' for {group!r}'}")
    return {str(t): float(v) for t, v in weights.items()}


def make_wordcloud(
    weights: dict[str, float],
    *,
    font_path: str | Path | None = None,
    width: int = 800,
    height: int = 400,
    max_words: int = 100,
    background_color: str = "white",
    colormap: str = "viridis",
    random_state: int = 0,
    max_font_size: int | None = None,
    font_step: int = 1,
):
    """A ``wordcloud.WordCloud`` drawn from ``{term: weight}`` with a Chinese-capable font.

    The font is :func:`~workbench.fonts.cjk_font_path` for these words (the
    chosen file is the cloud's ``font_path``). Words the font cannot draw are
    left out with a warning rather than drawn as boxes. The layout is fixed by
    ``random_state``.

    ``max_font_size`` (pixels) is the size of the heaviest word; None lets wordcloud find it
    by drawing the two heaviest words, shrinking them one pixel at a time from the full
    height. Each size tried loads the font file anew (about half a millisecond for the
    bundled CJK font), so that search is most of a small cloud's time: a widget that redraws
    on every change passes a size (and a ``font_step`` above 1, the pixels taken off a word
    that does not fit) and draws in a fraction of the time.

    >>> cloud = make_wordcloud({"发展": 3.0, "改革": 2.0, "创新": 1.0}, width=200, height=120, max_font_size=48)
    >>> max(size for (_, size, _, _, _) in cloud.layout_) <= 48
    True
    """
    from wordcloud import WordCloud

    if not weights:
        raise ValueError("no words to draw")
    if max_font_size is not None and not (isinstance(max_font_size, (int, np.integer)) and max_font_size >= 4):
        raise ValueError(f"max_font_size must be a whole number of pixels, at least 4, or None; not {max_font_size!r}")
    if not (isinstance(font_step, (int, np.integer)) and font_step >= 1):
        raise ValueError(f"font_step must be a whole number of pixels, at least 1, not {font_step!r}")
    font = cjk_font_path(font_path, text=list(weights))
    drawable = {w: v for w, v in weights.items() if not missing_glyphs(font, w)}
    if len(drawable) < len(weights):
        lost = sorted(set(weights) - set(drawable))
        log.warning("font %s cannot draw %d words (%s…): left out of the word cloud", font, len(lost), "、".join(lost[:5]))
    if not drawable:
        raise ValueError(f"font {font} cannot draw any of the words")
    cloud = WordCloud(font_path=str(font), width=width, height=height, max_words=max_words,
                      background_color=background_color, colormap=colormap, random_state=random_state,
                      prefer_horizontal=1.0, collocations=False, max_font_size=max_font_size, font_step=font_step)
    return cloud.generate_from_frequencies(drawable)


def save_wordcloud(cloud, path: str | Path) -> Path:
    """Write the cloud as PNG to ``path`` (atomically; missing folders are created, as for every output)."""
    from .output import atomic_path

    path = Path(path)
    with atomic_path(path, suffix=".png") as tmp:
        cloud.to_file(str(tmp))
    return path


def plot_wordcloud(cloud, *, title: str | None = None):
    """A matplotlib figure showing the cloud."""
    import matplotlib.pyplot as plt

    apply_cjk_font()
    fig, ax = plt.subplots(figsize=(cloud.width / 100, cloud.height / 100))
    ax.imshow(cloud.to_array(), interpolation="bilinear")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_term_frequency(frequencies: pd.DataFrame, terms: str | list[str] | None = None):
    """Each term's relative frequency per group, drawn so that it stays readable for many groups.

    ``frequencies`` is a :func:`~workbench.terms.term_frequencies` table (counts of terms,
    per 10,000 terms) or a :func:`~workbench.trends.term_trends` table; by default its
    first five terms are shown. Up to 12 groups: grouped bars. More groups: a line per
    term when the groups are years (a real time axis, gaps where a year has no
    document), else a heatmap of terms × groups.
    """
    import matplotlib.pyplot as plt

    apply_cjk_font()
    trend = "per_10k" in frequencies
    by = "group" if trend else frequencies.columns[0]
    value = "per_10k" if trend else "relative"
    terms = [terms] if isinstance(terms, str) else terms or list(dict.fromkeys(frequencies["term"]))[:5]
    unknown = [t for t in terms if t not in set(frequencies["term"])]
    if unknown:
        raise ValueError(f"term {unknown[0]!r} is not in the frequency table")
    wide = frequencies[frequencies["term"].isin(terms)].pivot(index=by, columns="term", values=value)
    wide = wide.reindex(index=list(dict.fromkeys(frequencies[by])), columns=terms)
    counted = frequencies["counted_as"].iloc[0] if "counted_as" in frequencies and len(frequencies) else "terms"
    unit = "per 10,000 tokens" if trend else "per 10,000 terms"
    if len(wide) > MANY_GROUPS:
        if all(isinstance(g, (int, np.integer)) for g in wide.index):
            from .trends import plot_trends

            table = frequencies[frequencies["term"].isin(terms)].rename(columns={by: "group", value: "per_10k"})
            fig = plot_trends(table.assign(counted_as=counted), title=f"relative frequency (as {counted})")
            fig.axes[0].set_ylabel(unit)
            return fig
        return _heatmap(wide.T, cmap="YlOrRd", label=unit, vmin=0.0, xlabels=[_short(c, 12) for c in wide.index],
                        title=f"relative frequency (as {counted})")
    fig, ax = plt.subplots(figsize=(min(12.0, max(6.0, 1 + 0.45 * len(wide) * max(1, len(terms)))), 4))
    wide.plot.bar(ax=ax, width=0.8)
    ax.set_xticks(range(len(wide)), [str(g)[:14] for g in wide.index], rotation=30, ha="right")
    ax.set_xlabel("")
    ax.set_ylabel(unit)
    ax.set_title(f"relative frequency (as {counted})")
    fig.tight_layout()
    return fig


def plot_frequency_heatmap(frequencies: pd.DataFrame):
    """Heatmap of a :func:`~workbench.terms.term_frequencies` table: terms × groups, per 10,000 terms."""
    by = frequencies.columns[0]
    wide = frequencies.pivot(index="term", columns=by, values="relative")
    wide = wide.reindex(index=list(dict.fromkeys(frequencies["term"])), columns=list(dict.fromkeys(frequencies[by])))
    return _heatmap(wide, cmap="YlOrRd", label="per 10,000 terms", vmin=0.0,
                    xlabels=[_short(c, 12) for c in wide.columns])


def plot_topic_heatmap(model, *, by: str = "doc_id", labels: dict | None = None, corpus=None):
    """Heatmap of topic shares per document (or any grouping: pass ``corpus`` for ``year``, ``decade``…):
    which plan spends its words on which theme.

    ``labels`` maps row names to what to print (e.g. :func:`document_labels`).
    """
    table = model.shares_by(by, corpus)
    return _heatmap(table, cmap="Blues", label="share of the terms", fmt=".2f", vmin=0.0,
                    xlabels=[f"{i}·{c}" for i, c in enumerate(table.columns)],
                    ylabels=[_short((labels or {}).get(r, r), 16) for r in table.index],
                    title=f"{model.settings.method.upper()} k={model.settings.k} · unit {model.settings.unit} "
                          f"· seed {model.settings.seed}")


def plot_topic_trends(model, corpus=None, *, by: str = "year", topics: list | None = None, top: int = 6):
    """Topic shares over time (or over any grouping): a line per topic.

    ``model.shares_by(by, corpus)`` drawn as lines; years are a real time axis (gaps
    where a year has no document). ``topics`` picks topics by number or label; by
    default the ``top`` topics with the largest spread between groups are drawn.
    """
    import matplotlib.pyplot as plt

    apply_cjk_font()
    table = model.shares_by(by, corpus)
    labels = list(table.columns)
    if topics is None:
        spread = (table.max() - table.min()).to_numpy()
        chosen = [labels[i] for i in sorted(np.argsort(-spread, kind="stable")[:top])]
    else:
        chosen = [labels[t] if isinstance(t, (int, np.integer)) else t for t in topics]
        unknown = [t for t in chosen if t not in labels]
        if unknown:
            raise ValueError(f"no topic {unknown[0]!r}; topics are 0..{len(labels) - 1} or their labels")
    groups = list(table.index)
    numeric = bool(groups) and all(isinstance(g, (int, np.integer)) for g in groups)
    fig, ax = plt.subplots(figsize=(min(16, max(7, 0.12 * len(groups) + 5)), 4.2))
    for label in chosen:
        if numeric:
            years = np.arange(min(groups), max(groups) + 1)
            ax.plot(years, table[label].reindex(years).to_numpy(dtype=float), marker="o", markersize=3,
                    label=f"{labels.index(label)}·{label}")
        else:
            ax.plot(range(len(groups)), table[label].to_numpy(dtype=float), marker="o",
                    label=f"{labels.index(label)}·{label}")
    if not numeric:
        step = max(1, len(groups) // 20)
        ax.set_xticks(range(0, len(groups), step), [str(g) for g in groups[::step]], rotation=30, ha="right")
    ax.set_ylabel("share of the terms")
    ax.set_title(f"topic shares by {by} · {model.settings.method.upper()} k={model.settings.k} "
                 f"· seed {model.settings.seed}")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def plot_sweep(sweep: pd.DataFrame):
    """Coherence (NPMI, UMass) and, for LDA, perplexity against k, from :func:`~workbench.topic_quality.sweep_topics`."""
    import matplotlib.pyplot as plt

    apply_cjk_font()
    panels = ["npmi", "umass"] + (["perplexity"] if sweep["perplexity"].notna().any() else [])
    fig, axes = plt.subplots(1, len(panels), figsize=(3.6 * len(panels), 3.2))
    for ax, column in zip(np.atleast_1d(axes), panels):
        ax.plot(sweep["k"], sweep[column], marker="o")
        ax.set_xlabel("k (topics)")
        ax.set_title(column + (" (lower is better)" if column == "perplexity" else " (higher is better)"))
        ax.set_xticks(sweep["k"])
    fig.tight_layout()
    return fig


def _short(label, width: int = 14) -> str:
    text = str(label)
    return text if len(text) <= width else text[:width - 1] + "…"


def plot_similarity(similarity: pd.DataFrame, *, labels: dict | None = None):
    """Clustered heatmap of a similarity table with its dendrogram (average linkage on 1 − cosine).

    ``labels`` maps row names to what to print (e.g. doc_id → region). The colour scale spans
    the similarities between different documents (the diagonal, 1, is drawn in the top colour).
    """
    import matplotlib.pyplot as plt
    from scipy.cluster.hierarchy import dendrogram

    apply_cjk_font()
    links, order = cluster_order(similarity)
    ordered = similarity.loc[order, order]
    names = [_short((labels or {}).get(x, x), 16) for x in order]
    n = len(order)
    values = ordered.to_numpy(dtype=float)
    others = values[~np.eye(n, dtype=bool)]
    low, high = (float(others.min()), float(others.max())) if others.size else (0.0, 1.0)
    high = high if high > low else low + 1e-9
    cell = _cell_inches(n, most=0.75)
    fig, (top, ax) = plt.subplots(2, 1, figsize=(2.5 + cell * n, 1.2 + 4 / 3 * cell * n),
                                  gridspec_kw={"height_ratios": [1, 3]})
    dendrogram(links, ax=top, no_labels=True, color_threshold=0, above_threshold_color="#555")
    top.set_axis_off()
    image = ax.imshow(values, cmap="viridis", vmin=low, vmax=high)
    ax.set_xticks(range(n), names, rotation=40 if n <= MANY_GROUPS else 90, ha="right" if n <= MANY_GROUPS else "center",
                  fontsize=_label_points(cell))
    ax.set_yticks(range(n), names, fontsize=_label_points(cell))
    if cell >= 0.5:
        for (i, j), v in np.ndenumerate(values):
            ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=8,
                    color="white" if (v - low) / (high - low) < 0.6 else "black")
    fig.colorbar(image, ax=ax, label="cosine similarity", shrink=0.8)
    fig.tight_layout()
    return fig


def plot_themes(coverage: pd.DataFrame, *, labels: dict | None = None):
    """Heatmap of :func:`~workbench.themes.theme_coverage`: themes × groups, share of word tokens in %.

    With more than a dozen groups the groups become the rows (their labels stay readable).
    """
    by = coverage.columns[0]
    wide = coverage.pivot(index="label", columns=by, values="share") * 100
    wide = wide.reindex(index=list(dict.fromkeys(coverage["label"])), columns=list(dict.fromkeys(coverage[by])))
    if wide.shape[1] > MANY_GROUPS:
        return _heatmap(wide.T, cmap="Greens", label="% of word tokens", fmt=".1f", vmin=0.0,
                        ylabels=[_short((labels or {}).get(c, c), 18) for c in wide.columns])
    return _heatmap(wide, cmap="Greens", label="% of word tokens", fmt=".1f", vmin=0.0,
                    xlabels=[_short((labels or {}).get(c, c)) for c in wide.columns])


# Markers of a single target value by comparator: ≥ points right, ≤ left, ≈ is hollow.
TARGET_MARKERS = {">=": ">", "<=": "<", "~": "o", "=": "o"}
ATTAINMENT_MARKERS = {">=": "^", "<=": "v", "~": "o", "=": "o"}


def _panels(n: int, *, width: float, row_inches: float, most_cols: int = 3):
    """A figure with ``n`` axes in up to ``most_cols`` columns (small multiples); extra axes hidden."""
    import matplotlib.pyplot as plt

    cols = min(most_cols, max(n, 1))
    rows = -(-max(n, 1) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(width * cols, row_inches * rows), squeeze=False)
    flat = list(axes.ravel())
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat[:n]


def _mark(ax, x, y, comparator: str, markers: dict, color: str, size: float = 7, label=None):
    hollow = comparator == "~"
    ax.plot([x], [y], linestyle="none", marker=markers.get(comparator, "o"), markersize=size, color=color,
            markerfacecolor="white" if hollow else color, markeredgewidth=1.5, label=label)


def _same(a: tuple, b: tuple) -> bool:
    return all(x == y or (pd.isna(x) and pd.isna(y)) for x, y in zip(a, b))


def plot_targets(table: pd.DataFrame, *, reference: str | None = "全国", most: int = 12):
    """Dot plot of a :func:`~workbench.compare.compare_targets` table: each group's value.

    One panel per canonical indicator, measure, year and unit (small multiples, at most
    ``most``, the fullest first); groups are the rows. A range is a bar from ``value_low``
    to ``value_high``; a single value a dot: hollow for ``≈``, a triangle pointing right for
    ``≥`` and left for ``≤``; each with its ``display`` label. The group named
    ``reference`` (the national document, region 全国) is drawn as a dashed line across
    the panel (a shaded band for a range) instead of a row. Masked values are left out.
    """
    if table.empty or "display" not in table:
        raise ValueError("nothing to plot: pass a non-empty compare_targets table (tidy, not wide)")
    by = table.columns[0]
    data = table[table["value_low"].notna()]
    if data.empty:
        raise ValueError("nothing to plot: every value is masked")
    keys = ["indicator_name", "measure", "year", "unit"]
    sizes = data.groupby(keys, dropna=False, sort=False).size().sort_values(ascending=False, kind="stable")
    panels = list(sizes.index[:most])
    if len(sizes) > most:
        log.info("plot_targets: %d panels, showing the %d fullest", len(sizes), most)
    apply_cjk_font()
    groups = [g for g in dict.fromkeys(data[by]) if g != reference]
    row = _cell_inches(len(groups), most=0.4, span=10)
    fig, axes = _panels(len(panels), width=5.5, row_inches=1.2 + row * max(len(groups), 1))
    for ax, key in zip(axes, panels):
        cell = data[[_same(a, b) for a, b in zip(zip(*(data[k] for k in keys)), [key] * len(data))]]
        shown = cell[cell[by] != reference]
        position = {g: i for i, g in enumerate(groups)}
        for r in shown.itertuples(index=False):
            y = position[r[0]]
            if r.comparator == "range":
                ax.plot([r.value_low, r.value_high], [y, y], color="#4C72B0", linewidth=5, solid_capstyle="butt")
            else:
                _mark(ax, r.value_low, y, r.comparator, TARGET_MARKERS, "#4C72B0")
            ax.annotate(f" {r.display}", (r.value_high, y), xytext=(6, 0), textcoords="offset points", va="center",
                        fontsize=_label_points(row))
        national = cell[cell[by] == reference]
        for r in national.itertuples(index=False):
            if r.comparator == "range":
                ax.axvspan(r.value_low, r.value_high, color="#C44E52", alpha=0.15)
            ax.axvline(r.value_low, color="#C44E52", linestyle="--", linewidth=1)
            ax.text(r.value_low, -0.8, f"{reference} {r.display}", color="#C44E52", fontsize=8, ha="left")
        ax.set_yticks(range(len(groups)), [_short(g, 18) for g in groups], fontsize=_label_points(row))
        ax.set_ylim(len(groups) - 0.5, -1.2)
        name, measure, year, unit = key
        ax.set_title(" · ".join(str(p) for p in (name, measure, "" if pd.isna(year) else int(year)) if p != ""),
                     fontsize=10)
        ax.set_xlabel(unit or "")
        ax.margins(x=0.25)
    fig.tight_layout()
    return fig


def plot_indicator(records: pd.DataFrame, indicator: str, corpus=None, *, by: str = "doc_id", kind: str = "target",
                   measure: str | None = None, year: int | None = None, reference: str | None = "全国"):
    """:func:`plot_targets` of :func:`~workbench.compare.compare_targets` for one indicator.

    Groups are the documents, or any ``by=`` grouping (``region`` …) with the ``corpus``.
    """
    table = compare_targets(records, corpus, by=by, kind=kind, year=year, indicator=indicator, measure=measure)
    if table.empty or table["value_low"].isna().all():
        raise ValueError(f"no unmasked {kind} records for indicator {indicator!r}")
    if by == "doc_id" and corpus is not None:
        names = document_labels(corpus.documents)
        table = table.assign(doc_id=table["doc_id"].map(lambda d: names.get(d, d)))
    return plot_targets(table, reference=reference)


def plot_attainment(table: pd.DataFrame, *, most: int = 12):
    """Targets against results over the years, from :func:`~workbench.attainment.attainment`.

    One panel per group and canonical indicator (at most ``most``, the longest series
    first). The target of each year is a bar for a range, else a marker (hollow circle
    ``≈``, triangle up ``≥``, down ``≤``); the result is a black line through dots.
    """
    from matplotlib.ticker import MaxNLocator

    if table.empty:
        raise ValueError("nothing to plot: the attainment table is empty")
    by = table.columns[0]
    data = table[table["target_low"].notna() | table["result"].notna()]
    sizes = data.groupby([by, "indicator_name", "unit"], sort=False).size().sort_values(ascending=False, kind="stable")
    panels = list(sizes.index[:most])
    apply_cjk_font()
    fig, axes = _panels(len(panels), width=7.5, row_inches=3.6, most_cols=2)
    for ax, (group, name, unit) in zip(axes, panels):
        cell = data[(data[by] == group) & (data["indicator_name"] == name) & (data["unit"] == unit)]
        cell = cell.sort_values("year")
        first = True
        for r in cell.itertuples(index=False):
            if pd.isna(r.target_low):
                continue
            label = "target" if first else None
            if r.comparator == "range":
                ax.plot([r.year, r.year], [r.target_low, r.target_high], color="#4C72B0", linewidth=5,
                        solid_capstyle="butt", label=label)
            else:
                _mark(ax, r.year, r.target_low, r.comparator, ATTAINMENT_MARKERS, "#4C72B0", label=label)
            first = False
        results = cell[cell["result"].notna()]
        ax.plot(results["year"], results["result"], color="black", marker=".", linewidth=1, label="result")
        ax.set_title(f"{group} · {name}", fontsize=10)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlim(cell["year"].min() - 1, cell["year"].max() + 1)
        ax.set_ylabel(unit or "")
        ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    return fig


def plot_coverage(records: pd.DataFrame, *, labels: dict | None = None):
    """Heatmap of :func:`~workbench.compare.coverage`: records per indicator and document.

    ``labels`` maps doc_id to what to print (default: the doc_id, shortened); with more
    than a dozen documents the documents become the rows.
    """
    table = record_coverage(records)
    title = "records per indicator and document"
    if table.shape[1] > MANY_GROUPS:
        return _heatmap(table.T, cmap="Blues", label="records", fmt="g", vmin=0.0, title=title,
                        ylabels=[_short((labels or {}).get(c, c), 18) for c in table.columns])
    return _heatmap(table, cmap="Blues", label="records", fmt="g", vmin=0.0, title=title,
                    xlabels=[_short((labels or {}).get(c, c), 12) for c in table.columns])
