"""TF-IDF tables kept in the cache, under a key over the content they are computed from.

:func:`~workbench.keywords.tfidf_keywords` counts every token of the corpus; at 10,000 pages that
is seconds, on every re-run of a notebook. Its table is a pure function of:

- the token table's ``doc_id``, ``paragraph``, ``sentence`` and ``tokens`` columns (their content,
  hashed as :func:`workbench.frame_cache.digest` stores it, not the object they are held in);
- each document's group (``by``), in the order the documents come;
- the settings, the stopwords (the words themselves, wherever they were read from), this code
  and the numeric libraries' versions.

A key over all of them (:func:`workbench.cache_keys.make_key`) names one cache file (kind
``keywords``). The file stores the table with each row's group as a number; the labels come from
the groups of this call. A file that cannot be read or does not fit is recomputed with a warning.
"""
from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from . import frame_cache
from .cache_keys import make_key, source_digest
from .groups import ordered_groups
from .segment import load_stopwords

log = logging.getLogger("workbench")
KIND = "keywords"
CODE = ("keywords", "terms", "token_column", "tfidf_scale", "groups")  # the modules that compute the table
TOKEN_COLUMNS = ("doc_id", "paragraph", "sentence", "tokens")  # what the table reads of the token table


class Stored:
    """One call's place in the cache: :meth:`read` its table (None when there is none), :meth:`write` it.

    Nothing is read or written when the cache directory cannot be used, or when the call's
    inputs cannot be keyed (a token table without ``doc_id`` or ``tokens``, a group label
    that is not JSON: numbers, text, None).
    """

    def __init__(self, tokens: pd.DataFrame, labels_of: dict, options: dict, *, mapreduce: bool):
        self.key = None
        self.by = options["by"]
        if not frame_cache.usable() or not {"doc_id", "tokens"} <= set(tokens.columns):
            return
        doc_labels = [labels_of.get(d) for d in pd.unique(tokens["doc_id"]).tolist()]
        self.labels = ordered_groups(doc_labels, self.by)  # as the computation orders its groups
        try:
            import scipy

            content = frame_cache.digest(tokens, [c for c in TOKEN_COLUMNS if c in tokens.columns])
            settings = {k: v for k, v in options.items() if k != "stopwords"}
            self.key = make_key(KIND, tokens=content, groups=doc_labels, settings=settings, mapreduce=mapreduce,
                                stopwords=sorted(load_stopwords(options["stopwords"])), code=source_digest(*CODE),
                                libraries=[np.__version__, pd.__version__, scipy.__version__])
        except (TypeError, ValueError) as exc:  # (a column the cache cannot store, a label that is not JSON)
            log.debug("not caching this TF-IDF table: %s", exc)

    def read(self) -> pd.DataFrame | None:
        if self.key is None:
            return None
        frames = frame_cache.read(KIND, self.key)
        if frames is None:
            return None
        table, groups = frames.get("keywords"), frames.get("groups")
        position = None if groups is None or "group" not in groups else groups["group"].to_numpy()
        if (table is None or position is None or len(position) != len(table) or position.dtype.kind not in "iu"
                or (len(position) and (position.min() < 0 or position.max() >= len(self.labels)))):
            log.warning("a %s cache file does not fit its table; recomputing", KIND)
            return None
        labels = np.asarray(self.labels, dtype=object)
        return pd.DataFrame({self.by: labels[position], **{c: table[c] for c in table.columns}})

    def write(self, table: pd.DataFrame) -> None:
        if self.key is None:
            return
        number = {label: i for i, label in enumerate(self.labels)}
        position = [number.get(label, -1) for label in table[self.by].tolist()]
        if -1 in position:  # (a group the computation named otherwise: not kept)
            return
        frame_cache.write(KIND, self.key, {"keywords": table.drop(columns=self.by),
                                           "groups": pd.DataFrame({"group": np.asarray(position, dtype=np.int64)})})
