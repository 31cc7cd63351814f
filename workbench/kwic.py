"""Keyword in context: every occurrence of a term or pattern with its left and right context."""
from __future__ import annotations

import time
from collections.abc import Iterable

import pandas as pd

from .segment import get_tokenizer

WINDOW_UNITS = ("chars", "tokens")
SORT_KEYS = ("position", "left", "right")
KWIC_COLUMNS = ["doc_id", "paragraph", "start", "end", "doc_start", "left", "match", "right"]


REGEX_TIMEOUT = 10.0  # seconds a regular expression may take over a whole corpus


def compile_pattern(pattern: str, *, regex: bool = False):
    """A compiled pattern: the literal term, or ``pattern`` as a regular expression.

    Regular expressions are compiled with the ``regex`` package, whose matching takes a
    time limit (see :func:`kwic`), so a pattern that backtracks without end is stopped.
    """
    import regex as regex_module

    if not pattern:
        raise ValueError("the term to look up is empty")
    try:
        compiled = regex_module.compile(pattern if regex else regex_module.escape(pattern))
    except regex_module.error as exc:
        raise ValueError(f"{pattern!r} is not a valid regular expression: {exc}") from exc
    try:
        empty = compiled.search("", timeout=1.0)
    except TimeoutError:
        empty = None
    if empty:
        raise ValueError(f"{pattern!r} matches the empty string; it would match everywhere")
    return compiled


def _token_bounds(text: str, tokenizer) -> list[tuple[int, int]]:
    return [(s, e) for word, s, e in tokenizer.tokenize(text) if not word.isspace()]


def kwic(
    corpus,
    pattern: str,
    *,
    regex: bool = False,
    window: int = 15,
    window_unit: str = "chars",
    doc_ids: Iterable[str] | None = None,
    sort: str = "position",
    user_dict=None,
    timeout: float = REGEX_TIMEOUT,
) -> pd.DataFrame:
    """Every occurrence of ``pattern`` in the cleaned paragraphs, with context.

    Parameters
    ----------
    pattern : str
        A term (matched literally) or, with ``regex=True``, a regular expression.
    window : int
        Context on each side: characters, or whole tokens (``window_unit="tokens"``,
        jieba tokens of the paragraph, white space not counted).
    sort : {"position", "left", "right"}
        Corpus order; or by the left context read backwards from the match (the
        word just before it first), or by the right context.
    timeout : float
        Seconds the search may take over the whole corpus; a regular expression that
        takes longer (catastrophic backtracking, as in ``(.*)*x$`` on some engines)
        stops with a ValueError instead of running without end.

    Returns
    -------
    DataFrame
        ``doc_id, paragraph, start, end, doc_start, left, match, right``: ``start``
        and ``end`` index the paragraph's clean text, ``doc_start`` the document's.
        ``left + match + right`` is always an exact substring of the paragraph.

    >>> import workbench as wb
    >>> kwic(wb.load_corpus(), "淮海经济区", window=4).iloc[0][["left", "match", "right"]].tolist()
    ['，以建设', '淮海经济区', '中心城市']
    """
    if window_unit not in WINDOW_UNITS:
        raise ValueError(f"window_unit must be one of {', '.join(WINDOW_UNITS)}, not {window_unit!r}")
    if sort not in SORT_KEYS:
        raise ValueError(f"sort must be one of {', '.join(SORT_KEYS)}, not {sort!r}")
    if window < 0:
        raise ValueError(f"window must be 0 or more, not {window!r}")
    compiled = compile_pattern(pattern, regex=regex)
    paragraphs = corpus.paragraphs
    if doc_ids is not None:
        wanted = list(doc_ids)
        unknown = sorted(set(wanted) - set(paragraphs["doc_id"]))
        if unknown:
            raise ValueError(f"no document {unknown[0]!r} in the corpus")
        paragraphs = paragraphs[paragraphs["doc_id"].isin(wanted)]
    tokenizer = get_tokenizer(user_dict) if window_unit == "tokens" else None
    rows = []
    deadline = time.monotonic() + timeout
    for doc_id, para, text, para_start in paragraphs[["doc_id", "paragraph", "text", "start"]].itertuples(index=False):
        try:
            matches = [m for m in compiled.finditer(text, timeout=max(deadline - time.monotonic(), 1e-3))
                       if m.end() > m.start()]
        except TimeoutError:
            raise ValueError(f"the search for {pattern!r} took more than {timeout:g} s and was stopped; "
                             "simplify the regular expression (nested repeats such as (.*)* backtrack without end)"
                             ) from None
        if not matches:
            continue
        bounds = _token_bounds(text, tokenizer) if tokenizer is not None else None
        for m in matches:
            s, e = m.span()
            if bounds is None:
                lo, hi = max(0, s - window), min(len(text), e + window)
            else:
                before = [b for b in bounds if b[1] <= s]
                after = [b for b in bounds if b[0] >= e]
                lo = before[-min(window, len(before))][0] if window and before else s
                hi = after[min(window, len(after)) - 1][1] if window and after else e
            rows.append((doc_id, int(para), s, e, int(para_start) + s, text[lo:s], text[s:e], text[e:hi]))
    table = pd.DataFrame(rows, columns=KWIC_COLUMNS)
    if sort == "left":
        table = table.assign(_k=table["left"].str[::-1]).sort_values(["_k", "doc_id", "doc_start"], kind="stable")
        table = table.drop(columns="_k")
    elif sort == "right":
        table = table.sort_values(["right", "doc_id", "doc_start"], kind="stable")
    return table.reset_index(drop=True)
