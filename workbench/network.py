"""Co-word networks: terms that occur together, as a networkx graph with communities.

A pair of terms co-occurs when both are in the same sentence (``window=None``), or within
``window`` terms of each other inside a sentence. The graph keeps the ``max_nodes`` most
frequent terms and the pairs seen at least ``min_count`` times, weighted by

- ``count``: how many sentences (or windows) hold the pair;
- ``pmi``: ``log2(P(a, b) / (P(a) P(b)))``, probabilities over sentences (or term positions);
  pairs with PMI ≤ 0 (no more often together than by chance) are left out;
- ``g2``: Dunning's log-likelihood G² of the pair's 2 × 2 table (:func:`workbench.keyness.g2_two_by_two`).

Nodes carry ``frequency`` (sentences holding the term, or its occurrences with a window)
and ``community`` (networkx's Louvain method with a fixed seed, on the edge weights);
edges carry ``weight`` and ``count``. One network per group with ``by=``. Export to GEXF,
GraphML or CSV node and edge lists for Gephi and Cytoscape.

>>> import workbench as wb
>>> graph = cooccurrence_network(wb.load_corpus(), min_count=3, max_nodes=40)
>>> sorted(graph.nodes["创新"]), graph.number_of_nodes() <= 40
(['community', 'frequency'], True)
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .groups import document_groups, group_order
from .terms import DEFAULT_STOPWORDS, unit_terms

WEIGHTS = ("count", "pmi", "g2")


def cooccurrence_network(corpus, *, window: int | None = None, weight: str = "count", min_count: int = 3,
                         max_nodes: int = 100, stopwords=DEFAULT_STOPWORDS, tokens: pd.DataFrame | None = None,
                         by: str | None = None, seed: int = 0):
    """The co-word network of a corpus, or ``{group: network}`` with ``by``.

    Parameters
    ----------
    window : int, optional
        None: pairs within a sentence. N ≥ 2: pairs at most N − 1 terms apart in a sentence.
    weight : {"count", "pmi", "g2"}
        The edge weight (see the module notes); ``count`` is always kept as well.
    min_count : int
        Pairs seen fewer times are left out.
    max_nodes : int
        The most frequent terms kept as nodes (ties broken alphabetically).
    by : str, optional
        A grouping (:mod:`workbench.groups`): one network per group, e.g. per ``plan_period``.
    seed : int
        Seed of the community detection: same inputs, same communities.

    Returns
    -------
    networkx.Graph, or dict of group → Graph
    """
    if weight not in WEIGHTS:
        raise ValueError(f"weight must be one of {', '.join(WEIGHTS)}, not {weight!r}")
    if window is not None and (not isinstance(window, int) or window < 2):
        raise ValueError(f"window must be None (a sentence) or an integer of at least 2, not {window!r}")
    if min_count < 1 or max_nodes < 2:
        raise ValueError(f"min_count must be ≥ 1 and max_nodes ≥ 2 (got {min_count}, {max_nodes})")
    units = unit_terms(corpus, unit="sentence", stopwords=stopwords, tokens=tokens)
    options = dict(window=window, weight=weight, min_count=min_count, max_nodes=max_nodes, seed=seed)
    if by is None:
        return network_from_terms(units["terms"].tolist(), **options)
    labels = units["doc_id"].map(document_groups(corpus, by))
    return {group: network_from_terms(units.loc[labels == group, "terms"].tolist(), **options)
            for group in group_order(labels, by)}


def network_from_terms(sentences: Sequence[Sequence[str]], *, window: int | None = None, weight: str = "count",
                       min_count: int = 3, max_nodes: int = 100, seed: int = 0):
    """The co-word network of sentences given as lists of terms (see :func:`cooccurrence_network`).

    >>> g = network_from_terms([["改革", "开放"], ["改革", "开放", "创新"], ["改革", "创新"]], min_count=2)
    >>> sorted((*sorted((a, b)), d["count"]) for a, b, d in g.edges(data=True))
    [('创新', '改革', 2), ('开放', '改革', 2)]
    """
    import networkx as nx
    from scipy import sparse

    vocabulary, matrix, frequency, n_units = _unit_matrix(sentences, window, max_nodes)
    counts = _pair_counts(sentences, vocabulary, matrix, window)
    graph = nx.Graph()
    for term, f in zip(vocabulary, frequency.tolist()):
        graph.add_node(term, frequency=int(f))
    upper = sparse.triu(counts, k=1).tocoo()  # each pair once
    keep = upper.data >= min_count
    i, j, c = upper.row[keep], upper.col[keep], upper.data[keep].astype(np.int64)
    w = _weights(weight, c, frequency[i], frequency[j], n_units)
    finite = ~np.isnan(w)  # PMI ≤ 0: no link
    order = np.lexsort((j[finite], i[finite]))  # edges added in a fixed order
    graph.add_edges_from((vocabulary[a], vocabulary[b], {"weight": float(x), "count": int(n)})
                         for a, b, x, n in zip(i[finite][order].tolist(), j[finite][order].tolist(),
                                               w[finite][order].tolist(), c[finite][order].tolist()))
    graph.remove_nodes_from([n for n in list(graph.nodes) if graph.degree(n) == 0])
    _communities(graph, seed)
    return graph


def _unit_matrix(sentences, window, max_nodes):
    """The kept vocabulary (most frequent first), a units × terms matrix, frequencies, and the number of units."""
    from scipy import sparse  # scipy loads on first use, not with the package

    counter: dict[str, int] = {}
    for terms in sentences:
        for t in (set(terms) if window is None else terms):
            counter[t] = counter.get(t, 0) + 1
    ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:max_nodes]
    vocabulary = [t for t, _ in ranked]
    index = {t: i for i, t in enumerate(vocabulary)}
    rows, cols = [], []
    for r, terms in enumerate(sentences):
        for t in set(terms):
            if t in index:
                rows.append(r)
                cols.append(index[t])
    matrix = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)),
                               shape=(len(sentences), len(vocabulary)))
    frequency = np.array([c for _, c in ranked], dtype=np.int64)
    n_units = len(sentences) if window is None else sum(map(len, sentences))
    return vocabulary, matrix, frequency, n_units


def _pair_counts(sentences, vocabulary, matrix, window):
    """Symmetric term × term counts: sentences holding both, or pairs within the window."""
    from scipy import sparse

    if window is None:
        return (matrix.T @ matrix).tocsr()
    index = {t: i for i, t in enumerate(vocabulary)}
    ids = [[index.get(t, -1) for t in terms] for terms in sentences]
    flat = np.array([i for seq in ids for i in seq], dtype=np.int64)
    sentence = np.repeat(np.arange(len(ids)), [len(seq) for seq in ids])
    a_all, b_all = [], []
    for d in range(1, window):
        a, b = flat[:-d], flat[d:]
        same = (sentence[:-d] == sentence[d:]) & (a >= 0) & (b >= 0) & (a != b)
        a_all.append(a[same])
        b_all.append(b[same])
    a, b = np.concatenate(a_all) if a_all else np.zeros(0, int), np.concatenate(b_all) if b_all else np.zeros(0, int)
    n = len(vocabulary)
    counts = sparse.csr_matrix((np.ones(len(a), dtype=np.int64), (np.minimum(a, b), np.maximum(a, b))), shape=(n, n))
    counts.sum_duplicates()
    return (counts + counts.T).tocsr()


def _weights(weight: str, c, fa, fb, n: int) -> np.ndarray:
    """Edge weights of pairs seen ``c`` times, of terms with frequencies ``fa`` and ``fb``, among
    ``n`` units (arrays); NaN where PMI ≤ 0."""
    c, fa, fb = (np.asarray(x, dtype=float) for x in (c, fa, fb))
    if weight == "count":
        return c
    if weight == "pmi":
        with np.errstate(divide="ignore", invalid="ignore"):
            pmi = np.log2(c * n / (fa * fb))
        return np.where(pmi > 0, pmi, np.nan)
    from .keyness import g2_two_by_two

    return g2_two_by_two(c, np.maximum(fa - c, 0), np.maximum(fb - c, 0), np.maximum(n - fa - fb + c, 0))


def _communities(graph, seed: int) -> None:
    """Louvain communities (networkx's own, seeded), numbered by size then by their first term."""
    import networkx as nx

    if graph.number_of_edges() == 0:
        nx.set_node_attributes(graph, {n: 0 for n in graph.nodes}, "community")
        return
    found = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    ordered = sorted((sorted(c) for c in found), key=lambda members: (-len(members), members[0]))
    nx.set_node_attributes(graph, {n: k for k, members in enumerate(ordered) for n in members}, "community")


def network_tables(graph) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(nodes, edges)``: ``term, frequency, community`` and ``source, target, weight, count``, sorted."""
    nodes = pd.DataFrame([(n, d["frequency"], d["community"]) for n, d in graph.nodes(data=True)],
                         columns=["term", "frequency", "community"])
    edges = pd.DataFrame([(a, b, d["weight"], d["count"]) for a, b, d in graph.edges(data=True)],
                         columns=["source", "target", "weight", "count"])
    nodes = nodes.sort_values(["community", "frequency", "term"], ascending=[True, False, True])
    edges = edges.sort_values(["weight", "source", "target"], ascending=[False, True, True])
    return nodes.reset_index(drop=True), edges.reset_index(drop=True)


EXPORT_FORMATS = (".gexf", ".graphml", ".csv")


def export_network(graph, path: str | Path, *, overwrite: bool = False) -> list[Path]:
    """Write a network as GEXF (Gephi), GraphML (Cytoscape, yEd) or CSV (``<stem>-nodes.csv`` and
    ``<stem>-edges.csv``), chosen by the suffix; a dict of networks is written one file per
    group, ``<stem>-<group><suffix>``. Returns the files written (atomically; existing files
    are refused unless ``overwrite``)."""
    import networkx as nx

    from .output import atomic_path

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in EXPORT_FORMATS:
        raise ValueError(f"the network file must end in {', '.join(EXPORT_FORMATS)}, not {path.name!r}")
    graphs = graph if isinstance(graph, dict) else {None: graph}
    plan = []
    for group, g in graphs.items():
        stem = path.stem if group is None else f"{path.stem}-{_safe(group)}"
        if suffix == ".csv":
            nodes, edges = network_tables(g)
            plan += [(path.with_name(f"{stem}-nodes.csv"), nodes), (path.with_name(f"{stem}-edges.csv"), edges)]
        else:
            plan.append((path.with_name(stem + suffix), g))
    existing = [p for p, _ in plan if p.exists()]
    if existing and not overwrite:
        raise FileExistsError(f"{existing[0]} exists; choose another name or overwrite it")
    written = []
    for target, content in plan:
        with atomic_path(target, suffix=suffix) as tmp:
            if isinstance(content, pd.DataFrame):
                content.to_csv(tmp, index=False, encoding="utf-8-sig")
            elif suffix == ".gexf":
                nx.write_gexf(content, tmp)
            else:
                nx.write_graphml(content, tmp)
        written.append(target)
    return written


def _safe(group) -> str:
    """A group label as a file-name part."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in str(group)) or "none"


def plot_network(graph, *, seed: int = 0, title: str | None = None, label_top: int = 60, max_edges: int = 400):
    """A static picture: node size by frequency, colour by community, Chinese labels (spring layout, seeded).

    The layout uses every edge; the picture draws the ``max_edges`` strongest (a dense network's
    thousands of faint lines hide its shape and cost most of the drawing time).
    """
    import matplotlib.pyplot as plt
    import networkx as nx

    from .fonts import apply_cjk_font

    family = apply_cjk_font()
    fig, ax = plt.subplots(figsize=(9, 7))
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.94)  # no tight_layout: one draw, not two
    ax.set_axis_off()
    if graph.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "no edges at these settings", ha="center", va="center")
        return fig
    position = nx.spring_layout(graph, seed=seed, weight="weight")
    frequency = np.array([graph.nodes[n]["frequency"] for n in graph.nodes], dtype=float)
    sizes = 80 + 1200 * frequency / frequency.max()
    colours = [graph.nodes[n]["community"] for n in graph.nodes]
    edges = sorted(graph.edges(data=True), key=lambda e: (-e[2]["weight"], e[0], e[1]))[:max_edges]
    weights = np.array([d["weight"] for _, _, d in edges], dtype=float)
    widths = 0.3 + 2.5 * (weights - weights.min()) / (np.ptp(weights) or 1) if len(weights) else []
    nx.draw_networkx_edges(graph, position, edgelist=[(a, b) for a, b, _ in edges], ax=ax, width=widths, alpha=0.25)
    nx.draw_networkx_nodes(graph, position, ax=ax, node_size=sizes, node_color=colours, cmap="tab20", alpha=0.85)
    shown = sorted(graph.nodes, key=lambda n: -graph.nodes[n]["frequency"])[:label_top]
    nx.draw_networkx_labels(graph, position, labels={n: n for n in shown}, ax=ax, font_size=9, font_family=family)
    drawn = f" ({len(edges)} strongest drawn)" if len(edges) < graph.number_of_edges() else ""
    ax.set_title(title or f"{graph.number_of_nodes()} terms, {graph.number_of_edges()} links{drawn}")
    return fig


def network_widget(graph, **options):
    """An interactive view in JupyterLab (ipysigma): nodes sized by frequency, coloured by community.

    Needs WebGL in the browser; where there is none, show :func:`plot_network` instead.
    """
    try:
        from ipysigma import Sigma
    except ImportError as exc:  # pragma: no cover - a dependency of workbench
        raise ImportError("the interactive network needs ipysigma: pip install ipysigma") from exc
    return Sigma(graph, node_size="frequency", node_color="community", edge_size="weight",
                 default_edge_type="line", start_layout=False, **options)
