"""Theme coverage by dictionary: what share of each plan's words falls on each policy theme.

The method is transparent on purpose: a theme is a list of terms
(``workbench/data/themes.csv``, extendable); every term is segmented with the
same tokenizer as the corpus and matched as a token sequence, longest first, so
生态环境 is one match and not also 生态 + 环境. :func:`theme_matches` shows every
matched term and its count.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd

from . import token_column
from .resources import data_path
from .segment import is_punctuation, segment_corpus, segment_text

THEME_COLUMNS = ["theme", "label", "term"]


def load_themes(source: str | Path | pd.DataFrame | dict | None = None) -> pd.DataFrame:
    """A theme dictionary as ``theme, label, term`` rows.

    ``source``: None for the shipped dictionary (11 themes: economy, innovation,
    rural, ecology, livelihood, party, reform, urban, safety, governance, culture);
    a CSV path with columns ``theme, term`` (and optionally ``label``; lines starting
    with ``#`` are comments); a DataFrame of those columns; or ``{theme: [terms]}``.
    Combine several with ``pd.concat``. A term listed under two themes is an error.
    """
    if source is None:
        source = data_path("themes.csv")
    if isinstance(source, dict):
        table = pd.DataFrame([(theme, theme, term) for theme, terms in source.items() for term in terms],
                             columns=THEME_COLUMNS)
    elif isinstance(source, pd.DataFrame):
        table = source.copy()
    else:
        path = Path(source)
        if not path.is_file():
            raise ValueError(f"theme dictionary {path} does not exist")
        try:
            table = pd.read_csv(path, comment="#", dtype=str, skipinitialspace=True)
        except (pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise ValueError(f"{path}: not a readable CSV file ({exc})") from exc
    return validate_themes(table, name=str(source) if isinstance(source, (str, Path)) else "theme dictionary")


def validate_themes(table: pd.DataFrame, *, name: str = "theme dictionary") -> pd.DataFrame:
    """Check the columns and that no term belongs to two themes; fill ``label`` from ``theme``."""
    missing = {"theme", "term"} - set(table.columns)
    if missing:
        raise ValueError(f"{name}: needs columns theme and term; {', '.join(sorted(missing))} missing")
    table = table.assign(label=table["label"] if "label" in table else table["theme"])[THEME_COLUMNS]
    table = table.dropna(subset=["theme", "term"]).astype(str)
    table = table.assign(term=table["term"].str.strip(), theme=table["theme"].str.strip())
    table = table[table["term"] != ""].drop_duplicates(["theme", "term"])
    owners = table.groupby("term")["theme"].nunique()
    if (owners > 1).any():
        term = owners[owners > 1].index[0]
        themes = sorted(table.loc[table["term"] == term, "theme"])
        raise ValueError(f"{name}: term {term!r} is listed under several themes ({', '.join(themes)})")
    if table.empty:
        raise ValueError(f"{name}: no terms")
    return table.reset_index(drop=True)


def _patterns(themes: pd.DataFrame, user_dict) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """First token → [(token sequence, term)], longest first."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for term in themes["term"]:
        seq = tuple(segment_text(term, user_dict=user_dict))
        if seq:
            index.setdefault(seq[0], []).append((seq, term))
    for options in index.values():
        options.sort(key=lambda item: (-len(item[0]), item[1]))
    return index


def _match(tokens: list[str], patterns) -> Counter:
    found: Counter = Counter()
    i = 0
    while i < len(tokens):
        for seq, term in patterns.get(tokens[i], ()):
            if tuple(tokens[i:i + len(seq)]) == seq:
                found[term] += 1
                i += len(seq)
                break
        else:
            i += 1
    return found


def _group_counts(corpus, themes, by, tokens, user_dict):
    from .groups import check_by, ordered_groups, unit_groups

    check_by(corpus, by, units=True)  # any grouping, section_role too (sentences by their section)
    themes = load_themes(themes) if not isinstance(themes, pd.DataFrame) else validate_themes(themes)
    sents = tokens if tokens is not None else segment_corpus(corpus, user_dict=user_dict)
    patterns = _patterns(themes, user_dict)
    labels = unit_groups(corpus, sents, by).tolist()
    matches: dict = {g: Counter() for g in ordered_groups(labels, by)}
    sizes: Counter = Counter()
    for label, toks in zip(labels, token_column.lists(sents["tokens"])):
        if label is None or label not in matches:
            continue
        words = [t for t in toks if not is_punctuation(t)]
        sizes[label] += len(words)
        matches.setdefault(label, Counter()).update(_match(words, patterns))
    return themes, matches, sizes


def theme_matches(corpus, *, themes=None, by: str = "doc_id", tokens: pd.DataFrame | None = None,
                  user_dict=None) -> pd.DataFrame:
    """Every matched term: ``<by>, theme, label, term, count`` (count > 0), by group, theme, count."""
    themes, matches, _ = _group_counts(corpus, themes, by, tokens, user_dict)
    owner = themes.set_index("term")
    rows = [(g, owner.at[term, "theme"], owner.at[term, "label"], term, n)
            for g, found in matches.items() for term, n in found.items()]
    table = pd.DataFrame(rows, columns=[by, "theme", "label", "term", "count"])
    order = {g: i for i, g in enumerate(matches)}
    theme_order = {t: i for i, t in enumerate(dict.fromkeys(themes["theme"]))}
    table = table.assign(_g=table[by].map(order), _t=table["theme"].map(theme_order))
    return (table.sort_values(["_g", "_t", "count", "term"], ascending=[True, True, False, True], kind="stable")
            .drop(columns=["_g", "_t"]).reset_index(drop=True))


def theme_coverage(corpus, *, themes=None, by: str = "doc_id", tokens: pd.DataFrame | None = None,
                   user_dict=None) -> pd.DataFrame:
    """Share of each group's word tokens that belong to each theme: ``<by>, theme, label, count, tokens, share``.

    ``by`` is any grouping (:mod:`workbench.groups`): a document column, ``year``,
    ``decade``, ``plan_period``, or ``section_role`` (each sentence counted in its section).

    Notes
    -----
    ``count`` is the number of word tokens (punctuation excluded, stopwords
    included) covered by the theme's terms — a term of two tokens covers two —
    and ``tokens`` the group's word tokens, so ``share = count / tokens`` and a
    group's shares add up to at most 1. Every theme appears for every group, with
    zeros where nothing matched.
    """
    themes, matches, sizes = _group_counts(corpus, themes, by, tokens, user_dict)
    lengths = {term: len(segment_text(term, user_dict=user_dict)) for term in themes["term"]}
    labels = themes.drop_duplicates("theme").set_index("theme")["label"]
    owner = themes.set_index("term")["theme"]
    rows = []
    for g, found in matches.items():
        covered = Counter()
        for term, n in found.items():
            covered[owner[term]] += n * lengths[term]
        for theme, label in labels.items():
            rows.append((g, theme, label, covered[theme], sizes[g], covered[theme] / sizes[g] if sizes[g] else 0.0))
    return pd.DataFrame(rows, columns=[by, "theme", "label", "count", "tokens", "share"])


def theme_table(coverage: pd.DataFrame) -> pd.DataFrame:
    """:func:`theme_coverage` as a grid: one row per theme (dictionary order), one column per group, in percent."""
    by = coverage.columns[0]
    wide = coverage.pivot(index="label", columns=by, values="share").mul(100)
    return wide.reindex(index=list(dict.fromkeys(coverage["label"])), columns=list(dict.fromkeys(coverage[by])))
