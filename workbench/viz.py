"""Pictures of rankings: word clouds and term-frequency charts, with a font that draws Chinese."""
from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from .fonts import apply_cjk_font, cjk_font_path, missing_glyphs

log = logging.getLogger("workbench")


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
    """Bar chart: each term's relative frequency (per 10,000 terms) per group.

    ``frequencies`` is a :func:`~workbench.terms.term_frequencies` table; by default
    its first five terms are shown.
    """
    import matplotlib.pyplot as plt

    apply_cjk_font()
    by = frequencies.columns[0]
    terms = [terms] if isinstance(terms, str) else terms or list(dict.fromkeys(frequencies["term"]))[:5]
    unknown = [t for t in terms if t not in set(frequencies["term"])]
    if unknown:
        raise ValueError(f"term {unknown[0]!r} is not in the frequency table")
    wide = frequencies[frequencies["term"].isin(terms)].pivot(index=by, columns="term", values="relative")
    wide = wide.reindex(index=list(dict.fromkeys(frequencies[by])), columns=terms)
    fig, ax = plt.subplots(figsize=(max(6, 1 + 0.9 * len(wide) * max(1, len(terms)) / 2), 4))
    wide.plot.bar(ax=ax, width=0.8)
    ax.set_xticks(range(len(wide)), [str(g)[:14] for g in wide.index], rotation=30, ha="right")
    ax.set_xlabel("")
    ax.set_ylabel("per 10,000 terms")
    ax.set_title("relative frequency")
    fig.tight_layout()
    return fig


def plot_frequency_heatmap(frequencies: pd.DataFrame):
    """Heatmap of a :func:`~workbench.terms.term_frequencies` table: terms × groups, per 10,000 terms."""
    import matplotlib.pyplot as plt

    apply_cjk_font()
    by = frequencies.columns[0]
    wide = frequencies.pivot(index="term", columns=by, values="relative")
    wide = wide.reindex(index=list(dict.fromkeys(frequencies["term"])), columns=list(dict.fromkeys(frequencies[by])))
    fig, ax = plt.subplots(figsize=(1.5 + 1.2 * wide.shape[1], 0.8 + 0.32 * wide.shape[0]))
    image = ax.imshow(wide.to_numpy(), cmap="YlOrRd", aspect="auto")
    ax.set_xticks(range(wide.shape[1]), [str(c)[:12] for c in wide.columns], rotation=30, ha="right")
    ax.set_yticks(range(wide.shape[0]), wide.index)
    fig.colorbar(image, ax=ax, label="per 10,000 terms")
    fig.tight_layout()
    return fig


def plot_topic_heatmap(model, *, by: str = "doc_id"):
    """Heatmap of topic shares per document (or region / doc_type): which plan spends its words on which theme."""
    import matplotlib.pyplot as plt

    apply_cjk_font()
    table = model.shares_by(by)
    fig, ax = plt.subplots(figsize=(2.5 + 0.9 * table.shape[1], 1.2 + 0.45 * table.shape[0]))
    image = ax.imshow(table.to_numpy(), cmap="Blues", aspect="auto", vmin=0)
    ax.set_xticks(range(table.shape[1]), [f"{i}·{c}" for i, c in enumerate(table.columns)], rotation=40, ha="right")
    ax.set_yticks(range(table.shape[0]), [str(r)[:16] for r in table.index])
    for (i, j), v in np.ndenumerate(table.to_numpy()):
        ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=7, color="white" if v > 0.5 * table.values.max() else "black")
    fig.colorbar(image, ax=ax, label="share of the terms")
    ax.set_title(f"{model.settings.method.upper()} k={model.settings.k} · unit {model.settings.unit} · seed {model.settings.seed}")
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

    ``labels`` maps row names to what to print (e.g. doc_id → region).
    """
    import matplotlib.pyplot as plt
    from scipy.cluster.hierarchy import dendrogram

    from .similarity import cluster_order

    apply_cjk_font()
    links, order = cluster_order(similarity)
    ordered = similarity.loc[order, order]
    names = [_short((labels or {}).get(x, x)) for x in order]
    n = len(order)
    fig, (top, ax) = plt.subplots(2, 1, figsize=(2.5 + 0.8 * n, 2.2 + 0.75 * n),
                                  gridspec_kw={"height_ratios": [1, 3]})
    dendrogram(links, ax=top, no_labels=True, color_threshold=0, above_threshold_color="#555")
    top.set_axis_off()
    image = ax.imshow(ordered.to_numpy(), cmap="viridis", vmin=0, vmax=1)
    ax.set_xticks(range(n), names, rotation=40, ha="right")
    ax.set_yticks(range(n), names)
    for (i, j), v in np.ndenumerate(ordered.to_numpy()):
        ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=8, color="white" if v < 0.6 else "black")
    fig.colorbar(image, ax=ax, label="cosine similarity", shrink=0.8)
    fig.tight_layout()
    return fig


def plot_themes(coverage: pd.DataFrame, *, labels: dict | None = None):
    """Heatmap of :func:`~workbench.themes.theme_coverage`: themes × groups, share of word tokens in %."""
    import matplotlib.pyplot as plt

    apply_cjk_font()
    by = coverage.columns[0]
    wide = coverage.pivot(index="label", columns=by, values="share") * 100
    wide = wide.reindex(index=list(dict.fromkeys(coverage["label"])), columns=list(dict.fromkeys(coverage[by])))
    fig, ax = plt.subplots(figsize=(2.5 + 1.2 * wide.shape[1], 1 + 0.4 * wide.shape[0]))
    image = ax.imshow(wide.to_numpy(), cmap="Greens", aspect="auto", vmin=0)
    ax.set_xticks(range(wide.shape[1]), [_short((labels or {}).get(c, c)) for c in wide.columns], rotation=30, ha="right")
    ax.set_yticks(range(wide.shape[0]), wide.index)
    for (i, j), v in np.ndenumerate(wide.to_numpy()):
        ax.text(j, i, f"{v:.1f}", ha="center", va="center", fontsize=8)
    fig.colorbar(image, ax=ax, label="% of word tokens")
    fig.tight_layout()
    return fig
