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

from .compare import COMPARATOR_SIGNS, filter_targets
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
):
    """A ``wordcloud.WordCloud`` drawn from ``{term: weight}`` with a Chinese-capable font.

    The font is :func:`~workbench.fonts.cjk_font_path` for these words (the
    chosen file is the cloud's ``font_path``). Words the font cannot draw are
    left out with a warning rather than drawn as boxes. The layout is fixed by
    ``random_state``.
    """
    from wordcloud import WordCloud

    if not weights:
        raise ValueError("no words to draw")
    font = cjk_font_path(font_path, text=list(weights))
    drawable = {w: v for w, v in weights.items() if not missing_glyphs(font, w)}
    if len(drawable) < len(weights):
        lost = sorted(set(weights) - set(drawable))
        log.warning("font %s cannot draw %d words (%s…): left out of the word cloud", font, len(lost), "、".join(lost[:5]))
    if not drawable:
        raise ValueError(f"font {font} cannot draw any of the words")
    cloud = WordCloud(font_path=str(font), width=width, height=height, max_words=max_words,
                      background_color=background_color, colormap=colormap, random_state=random_state,
                      prefer_horizontal=1.0, collocations=False)
    return cloud.generate_from_frequencies(drawable)


def save_wordcloud(cloud, path: str | Path) -> Path:
    """Write the cloud as PNG to ``path`` (its folder must exist)."""
    path = Path(path)
    if not path.parent.is_dir():
        raise ValueError(f"folder {path.parent} does not exist")
    cloud.to_file(str(path))
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


def plot_indicator(records: pd.DataFrame, indicator: str, corpus=None, *, kind: str = "target", unit: str | None = None):
    """Bar chart of one indicator's values per document (one unit only: percentages apart from levels).

    The unit defaults to the indicator's most common unit; masked records are left out.
    With the ``corpus``, documents are labelled by :func:`document_labels`.
    """
    import matplotlib.pyplot as plt

    data = filter_targets(records, kind=kind, indicator=indicator)
    data = data[~data["masked"]]
    if data.empty:
        raise ValueError(f"no unmasked {kind} records for indicator {indicator!r}")
    unit = unit or data["unit"].mode().iloc[0]
    data = data[data["unit"] == unit]
    apply_cjk_font()
    names = document_labels(corpus.documents) if corpus is not None else {}
    labels = [f"{names.get(d, d)} · {ind[:12]}" for d, ind in zip(data["doc_id"], data["indicator"])]
    row = _cell_inches(len(data), most=0.45, span=14)
    fig, ax = plt.subplots(figsize=(7, 0.8 + row * len(data)))
    ax.barh(range(len(data)), data["value"], color="#4C72B0")
    ax.set_yticks(range(len(data)), labels, fontsize=_label_points(row))
    for i, (v, c, y) in enumerate(zip(data["value"], data["comparator"], data["year"])):
        ax.text(v, i, f" {COMPARATOR_SIGNS.get(c, '')}{v:g}{unit}" + ("" if pd.isna(y) else f" ({int(y)})"), va="center",
                fontsize=_label_points(row))
    ax.set_xlabel(unit)
    ax.set_title(f"{indicator} · {kind}")
    ax.invert_yaxis()
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
