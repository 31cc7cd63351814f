"""What sets one document (or group) apart from the rest, or from another one, and which words go together.

Keyness by log-likelihood (G²) with its p-value and log ratio, the log-odds ratio
with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008), and
collocations within a window by PMI and G².
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .segment import StopwordSpec
from .groups import find_group
from .terms import DEFAULT_STOPWORDS, grouped_terms, unit_terms

DIRECTIONS = ("over", "under", "both")
COLLOCATION_MEASURES = ("pmi", "g2")


def _xlogy(o: np.ndarray, e: np.ndarray) -> np.ndarray:
    """``o · ln(o / e)``, 0 where ``o`` is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(o > 0, o * np.log(np.where(o > 0, o, 1) / e), 0.0)


def g2_two_by_two(o11, o12, o21, o22) -> np.ndarray:
    """Log-likelihood G² of 2×2 contingency tables (arrays of the four cells).

    .. math:: G^2 = 2 \\sum_{ij} O_{ij} \\ln \\frac{O_{ij}}{E_{ij}}, \\quad E_{ij} = \\frac{R_i C_j}{N}

    >>> round(float(g2_two_by_two(10, 90, 20, 880)), 4)
    12.649
    """
    o = [np.asarray(x, dtype=float) for x in (o11, o12, o21, o22)]
    n = sum(o)
    r1, r2, c1, c2 = o[0] + o[1], o[2] + o[3], o[0] + o[2], o[1] + o[3]
    e = [r1 * c1 / n, r1 * c2 / n, r2 * c1 / n, r2 * c2 / n]
    return 2 * sum(_xlogy(oi, ei) for oi, ei in zip(o, e))


REST = "(rest)"


def _names(value) -> list:
    return [value] if isinstance(value, (str, int, np.integer)) else list(value)


def _groups_table(corpus, by: str, term_options: dict) -> pd.DataFrame:
    """The ``groups=`` table passed in (checked), or :func:`~workbench.terms.grouped_terms` made now."""
    groups = term_options.pop("groups", None)
    if groups is None:
        return grouped_terms(corpus, by, **term_options)
    if by not in groups:
        raise ValueError(f"groups= is a grouped_terms table by {groups.columns[0]!r}, not by {by!r}")
    return groups


def _against_rest(corpus, target, by: str, min_count: int, term_options: dict):
    """:func:`_term_counts` of each target against all the other groups, from one groups × terms count matrix."""
    from itertools import chain

    from scipy import sparse

    groups = _groups_table(corpus, by, term_options)
    labels = list(groups[by])
    targets = labels if target is None else [find_group(labels, t, by) for t in _names(target)]
    row_of = {label: i for i, label in enumerate(labels)}  # the last row of a label, as a dict of the rows gives
    lists = groups["terms"].tolist()
    vocabulary = sorted(set(chain.from_iterable(lists)))
    lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    flat = np.fromiter(chain.from_iterable(lists), dtype=object, count=int(lengths.sum()))
    columns = pd.Index(np.asarray(vocabulary, dtype=object), dtype=object).get_indexer(flat)
    matrix = sparse.csr_matrix((np.ones(len(flat), dtype=np.int64), (np.repeat(np.arange(len(lists)), lengths), columns)),
                               shape=(len(lists), len(vocabulary)))
    matrix.sum_duplicates()
    total = np.asarray(matrix.sum(axis=0)).ravel()
    kept = np.flatnonzero(total >= max(min_count, 1))
    terms = [vocabulary[j] for j in kept]
    in_group = matrix[:, kept].tocsr()
    sizes = np.asarray(matrix.sum(axis=1)).ravel()
    everything = int(total.sum())
    for label in targets:
        i = row_of[label]
        a = in_group[i].toarray().ravel().astype(float)
        b = (total[kept] - in_group[i].toarray().ravel()).astype(float)
        yield label, REST, terms, a, b, float(sizes[i]), float(everything - sizes[i])


def _target_and_reference(corpus, target, reference, by: str, term_options: dict):
    """``(label, reference name, target counts, reference counts)`` for each target."""
    groups = _groups_table(corpus, by, term_options)
    labels = list(groups[by])
    terms_of = dict(zip(labels, groups["terms"]))
    # a ``counts`` column (a Counter per group, made once by a caller comparing many pairs) is used as it is
    counted: dict = dict(zip(labels, groups["counts"])) if "counts" in groups else {}

    def count(label) -> Counter:  # only the groups compared are counted
        if label not in counted:
            counted[label] = Counter(terms_of[label])
        return counted[label]

    if target is None:
        if reference is not None:
            raise ValueError("reference= needs a target: say which group (A) to compare with it (B)")
        targets = labels
    else:
        targets = [find_group(labels, t, by) for t in _names(target)]
    if reference is not None:
        chosen = list(dict.fromkeys(find_group(labels, r, by) for r in _names(reference)))
        clash = [t for t in targets if t in chosen]
        if clash:
            raise ValueError(f"{by} {clash[0]!r} is both the target and the reference; choose two different groups")
        ref: Counter = Counter()
        for label in chosen:
            ref.update(count(label))
        name = " + ".join(map(str, chosen))
        return [(label, name, count(label), ref) for label in targets]
    total: Counter = Counter()
    for label in labels:
        total.update(count(label))
    return [(label, REST, count(label), total - count(label)) for label in targets]


def _term_counts(corpus, target, reference, by: str, min_count: int, term_options: dict):
    """For each target: ``label, reference, terms, a, b, c, d`` (counts in target and reference, their totals)."""
    if reference is None:
        yield from _against_rest(corpus, target, by, min_count, term_options)
        return
    for label, name, tc, rc in _target_and_reference(corpus, target, reference, by, term_options):
        terms = sorted(t for t in set(tc) | set(rc) if tc[t] + rc[t] >= min_count)
        a = np.array([tc[t] for t in terms], dtype=float)
        b = np.array([rc[t] for t in terms], dtype=float)
        yield label, name, terms, a, b, float(sum(tc.values())), float(sum(rc.values()))


def _finish(table: pd.DataFrame, by: str, direction: str, top: int | None, strength: str) -> pd.DataFrame:
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
    if direction != "both":
        table = table[table["direction"] == direction]
    order = {g: i for i, g in enumerate(pd.unique(table[by]))}
    table = table.assign(_g=table[by].map(order), _d=table["direction"].map({"over": 0, "under": 1}),
                         _s=table[strength].abs())
    table = table.sort_values(["_g", "_d", "_s", "term"], ascending=[True, True, False, True], kind="stable")
    table["rank"] = table.groupby(["_g", "_d"]).cumcount() + 1
    if top is not None:
        table = table[table["rank"] <= top]
    return table.drop(columns=["_g", "_d", "_s"]).reset_index(drop=True)


def keyness(
    corpus,
    target: str | Sequence[str] | None = None,
    *,
    reference: str | Sequence[str] | None = None,
    by: str = "doc_id",
    direction: str = "both",
    min_count: int = 3,
    top: int | None = 20,
    ngram: int | tuple[int, int] = 1,
    stopwords: StopwordSpec | Sequence[StopwordSpec] = DEFAULT_STOPWORDS,
    min_chars: int = 2,
    tokens: pd.DataFrame | None = None,
    user_dict=None,
    groups: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Log-likelihood keyness of ``target`` (A: a ``by`` value, or each group in turn) against
    the rest, or against ``reference`` (B: another group, or several taken together).

    Parameters
    ----------
    target, reference : group label, or a list of them
        Values of the grouping ``by``: any metadata column (``doc_id``, ``year``,
        ``region``, ``doc_type``…) or a derived one (``decade`` such as ``"1990s"``,
        ``plan_period`` such as ``"十四五"``, ``section_role`` such as ``"review"``; see
        :mod:`workbench.groups`). ``"2024"`` names the year 2024. Without ``reference``
        each target is compared with all the other groups together.
    groups : DataFrame, optional
        A :func:`~workbench.terms.grouped_terms` table made earlier with the same ``by``
        and term options (a widget comparing many pairs groups the terms once).

    Returns
    -------
    DataFrame
        ``<by>, reference, term, count, count_ref, per_10k, per_10k_ref, g2, p_value,
        log_ratio, direction, score, rank``: ``reference`` names B (``"(rest)"`` for the
        other groups); ``count``/``count_ref`` are the raw counts in A and B beside the
        statistics; ``direction`` is ``"over"`` (used more in A than in B) or ``"under"``
        (used more in B); ranks count within each direction by G²;
        ``score`` is G² signed by direction. Terms with fewer than ``min_count``
        occurrences in target and reference together are left out.

    Notes
    -----
    For a term with ``a`` occurrences among the target's ``c`` terms and ``b``
    among the reference's ``d``, G² is :func:`g2_two_by_two` of the table
    ``[[a, c − a], [b, d − b]]`` (Dunning 1993), with expected counts
    ``E1 = c(a+b)/(c+d)`` and ``E2 = d(a+b)/(c+d)`` for the term's two cells. The
    corpus-linguistics shortcut ``2(a ln(a/E1) + b ln(b/E2))`` (Rayson's calculator)
    leaves out the two "other terms" cells and differs little when ``a ≪ c``.

    The p-value is that of χ² with one degree of freedom (3.84 ↔ 0.05, 15.13 ↔
    0.0001); with thousands of terms tested, read it as a ranking aid. The effect
    size is Hardie's log ratio, ``log2((a/c) / (b/d))`` with 0.5 put in for a zero
    count: +1 means twice as frequent in the target.
    """
    from scipy.stats import chi2

    options = dict(ngram=ngram, stopwords=stopwords, min_chars=min_chars, tokens=tokens, user_dict=user_dict,
                   groups=groups)
    frames = []
    for label, name, terms, a, b, c, d in _term_counts(corpus, target, reference, by, min_count, options):
        g2 = g2_two_by_two(a, c - a, b, d - b) if terms else np.array([])
        over = a / max(c, 1) > b / max(d, 1)
        log_ratio = np.log2((np.where(a > 0, a, 0.5) / max(c, 1)) / (np.where(b > 0, b, 0.5) / max(d, 1)))
        frames.append(pd.DataFrame({
            by: label, "reference": name, "term": terms, "count": a.astype(int), "count_ref": b.astype(int),
            "per_10k": a / max(c, 1) * 1e4, "per_10k_ref": b / max(d, 1) * 1e4, "g2": g2,
            "p_value": chi2.sf(g2, 1), "log_ratio": log_ratio,
            "direction": np.where(over, "over", "under"), "score": np.where(over, g2, -g2),
        }))
    return _finish(pd.concat(frames, ignore_index=True), by, direction, top, "g2")


def log_odds(
    corpus,
    target: str | Sequence[str] | None = None,
    *,
    reference: str | Sequence[str] | None = None,
    by: str = "doc_id",
    prior: float = 1000.0,
    direction: str = "both",
    min_count: int = 3,
    top: int | None = 20,
    ngram: int | tuple[int, int] = 1,
    stopwords: StopwordSpec | Sequence[StopwordSpec] = DEFAULT_STOPWORDS,
    min_chars: int = 2,
    tokens: pd.DataFrame | None = None,
    user_dict=None,
    groups: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008), with z-scores.

    Returns
    -------
    DataFrame
        ``<by>, reference, term, count, count_ref, alpha, delta, variance, z, direction,
        score, rank``; ``target``/``reference`` as in :func:`keyness`; ``score`` is ``z``;
        ranks count within each direction by ``|z|``.

    Notes
    -----
    The prior is A and B together (the whole corpus when B is the rest):
    ``α_w = prior · (y_w / n)`` where ``y_w`` counts term ``w`` there and ``n`` all its terms, so ``α_0 = prior``. With ``y``
    the target's counts (total ``n_i``) and ``y'`` the reference's (``n_j``):

    .. math:: \\delta_w = \\ln\\frac{y_w + \\alpha_w}{n_i + \\alpha_0 - y_w - \\alpha_w}
              - \\ln\\frac{y'_w + \\alpha_w}{n_j + \\alpha_0 - y'_w - \\alpha_w},
              \\quad \\sigma^2_w \\approx \\frac{1}{y_w + \\alpha_w} + \\frac{1}{y'_w + \\alpha_w},
              \\quad z_w = \\delta_w / \\sigma_w

    A larger ``prior`` shrinks rare terms' estimates harder toward zero; |z| > 1.96
    is the usual threshold.
    """
    if prior <= 0:
        raise ValueError(f"prior must be a positive number of pseudo-counts, not {prior!r}")
    options = dict(ngram=ngram, stopwords=stopwords, min_chars=min_chars, tokens=tokens, user_dict=user_dict,
                   groups=groups)
    frames = []
    for label, name, terms, y, yr, n_i, n_j in _term_counts(corpus, target, reference, by, min_count, options):
        alpha = prior * (y + yr) / max(n_i + n_j, 1)
        delta = (np.log((y + alpha) / (n_i + prior - y - alpha))
                 - np.log((yr + alpha) / (n_j + prior - yr - alpha)))
        variance = 1 / (y + alpha) + 1 / (yr + alpha)
        z = delta / np.sqrt(variance)
        frames.append(pd.DataFrame({
            by: label, "reference": name, "term": terms, "count": y.astype(int), "count_ref": yr.astype(int),
            "alpha": alpha,
            "delta": delta, "variance": variance, "z": z, "direction": np.where(z > 0, "over", "under"), "score": z,
        }))
    return _finish(pd.concat(frames, ignore_index=True), by, direction, top, "z")


def collocations(
    corpus,
    *,
    term: str | None = None,
    window: int = 5,
    min_count: int = 3,
    measure: str = "pmi",
    top: int | None = 50,
    stopwords: StopwordSpec | Sequence[StopwordSpec] = DEFAULT_STOPWORDS,
    min_chars: int = 2,
    tokens: pd.DataFrame | None = None,
    user_dict=None,
) -> pd.DataFrame:
    """Ordered word pairs (``w1`` followed by ``w2`` within ``window`` terms in a sentence).

    Returns
    -------
    DataFrame
        ``w1, w2, count, count_w1, count_w2, expected, pmi, g2, rank``, ranked by
        ``measure`` (ties by count, then the pair); pairs seen fewer than
        ``min_count`` times are left out; with ``term``, only pairs containing it.

    Notes
    -----
    Stopwords and other filtered tokens are removed first; a word followed by
    itself is not counted as a pair. Each term at position
    ``i`` of a sentence of ``L`` terms opens ``min(window, L − 1 − i)`` *slots*
    (the positions after it). Over all ``T`` slots, ``count_w1`` counts slots
    opened by ``w1``, ``count_w2`` slots filled by ``w2``, and ``count`` those
    with both. With ``expected = count_w1 · count_w2 / T``:

    .. math:: \\mathrm{PMI} = \\log_2 \\frac{\\mathrm{count}}{\\mathrm{expected}}

    and G² is :func:`g2_two_by_two` of ``[[count, count_w1 − count],
    [count_w2 − count, T − count_w1 − count_w2 + count]]``. PMI favours rare
    pairs, which ``min_count`` keeps in check; G² favours frequent ones.
    """
    if measure not in COLLOCATION_MEASURES:
        raise ValueError(f"measure must be one of {', '.join(COLLOCATION_MEASURES)}, not {measure!r}")
    if window < 1:
        raise ValueError(f"window must be at least 1, not {window!r}")
    units = unit_terms(corpus, unit="sentence", stopwords=stopwords, min_chars=min_chars, tokens=tokens,
                       user_dict=user_dict)
    pairs: Counter = Counter()
    opens: Counter = Counter()
    fills: Counter = Counter()
    for terms in units["terms"]:
        for i, w1 in enumerate(terms):
            following = terms[i + 1:i + 1 + window]
            opens[w1] += len(following)
            for w2 in following:
                fills[w2] += 1
                if w2 != w1:  # a word repeated is not a collocation (its slots still count)
                    pairs[w1, w2] += 1
    slots = float(sum(opens.values()))
    kept = sorted(p for p, n in pairs.items() if n >= min_count and (term is None or term in p))
    o11 = np.array([pairs[p] for p in kept], dtype=float)
    r1 = np.array([opens[p[0]] for p in kept], dtype=float)
    c1 = np.array([fills[p[1]] for p in kept], dtype=float)
    expected = r1 * c1 / slots if kept else np.array([])
    table = pd.DataFrame({
        "w1": [p[0] for p in kept], "w2": [p[1] for p in kept], "count": o11.astype(int),
        "count_w1": r1.astype(int), "count_w2": c1.astype(int), "expected": expected,
        "pmi": np.log2(o11 / expected) if kept else np.array([]),
        "g2": g2_two_by_two(o11, r1 - o11, c1 - o11, slots - r1 - c1 + o11) if kept else np.array([]),
    })
    table = table.sort_values([measure, "count", "w1", "w2"], ascending=[False, False, True, True], kind="stable")
    table["rank"] = np.arange(1, len(table) + 1)
    return (table if top is None else table.head(top)).reset_index(drop=True)
