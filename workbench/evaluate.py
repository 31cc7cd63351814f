"""Score extracted target records against hand-made gold records.

A predicted record matches a gold record of the same document when its number
agrees (``value_base``, or ``value`` and ``unit`` together) and its quote holds at
least 25% of the gold quote's character bigrams (white space ignored); matching
is one-to-one, best overlap first. Masked records are scored apart, by count
per document, since they carry no number to agree on. The full F1 asks every
field to be right, ``measure`` included where the gold has it (SCHEMA v2); the
figures are those of the gold folder's ``score.py``.
"""
from __future__ import annotations

import json
import math
import unicodedata
from collections import defaultdict
from pathlib import Path

MIN_OVERLAP = 0.25
FIELDS_ALL_RIGHT = ("kind", "comparator", "indicator_id", "unit", "year", "measure")
# Traditional magnitude and count characters compare equal to their simplified forms (SCHEMA v2).
_TRADITIONAL_UNITS = str.maketrans("萬億個戶項畝噸臺輛張間", "万亿个户项亩吨台辆张间")


def read_jsonl(path: str | Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{n}: not JSON ({exc})") from exc
    return rows


def _num(x) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _same(a, b) -> bool:
    return a is not None and b is not None and abs(a - b) <= 1e-6 * max(1.0, abs(b))


def unit_key(u) -> str:
    """A unit as compared: white space dropped, width narrowed (``％`` → ``%``), ``億`` as ``亿``.

    >>> unit_key("億 元"), unit_key("％")
    ('亿元', '%')
    """
    return unicodedata.normalize("NFKC", "".join(str(u or "").split())).translate(_TRADITIONAL_UNITS)


def quote_overlap(gold_quote: str, pred_quote: str) -> float:
    """Share of the gold quote's character bigrams found in the predicted quote."""
    def grams(s):
        s = "".join(str(s or "").split())
        return {s[i:i + 2] for i in range(len(s) - 1)} or ({s} if s else set())

    g = grams(gold_quote)
    return len(g & grams(pred_quote)) / len(g) if g else 0.0


def match_records(gold: list[dict], pred: list[dict]) -> list[tuple[dict, dict]]:
    """One-to-one pairs of gold and predicted records, per document, best quote overlap first."""
    by_g, by_p = defaultdict(list), defaultdict(list)
    for g in gold:
        by_g[str(g["doc_id"])].append(g)
    for p in pred:
        by_p[str(p["doc_id"])].append(p)
    pairs = []
    for doc, gs in by_g.items():
        candidates = []
        for i, g in enumerate(gs):
            for j, p in enumerate(by_p.get(doc, [])):
                agrees = _same(_num(p.get("value_base")), _num(g.get("value_base"))) or (
                    _same(_num(p.get("value")), _num(g.get("value"))) and unit_key(p.get("unit")) == unit_key(g.get("unit")))
                if agrees:
                    ov = quote_overlap(g.get("quote"), p.get("quote"))
                    if ov >= MIN_OVERLAP:
                        candidates.append((-ov, i, j))
        used_g, used_p = set(), set()
        for _, i, j in sorted(candidates):
            if i not in used_g and j not in used_p:
                used_g.add(i)
                used_p.add(j)
                pairs.append((gs[i], by_p[doc][j]))
    return pairs


def _f1(tp: int, n_pred: int, n_gold: int) -> float:
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score_targets(gold_rows: list[dict], pred_rows: list[dict]) -> dict:
    """Precision, recall, F1, strict F1 (kind right too), full F1 (kind, comparator,
    indicator_id, unit, measure and — where the gold has one — year right), field accuracies and masked recall.

    The same figures as ``score.py`` of the gold folder (units compared as :func:`unit_key`).
    """
    gold = [g for g in gold_rows if not g.get("masked")]
    pred = [p for p in pred_rows if not p.get("masked")]
    pairs = match_records(gold, pred)

    def right(g, p, field):
        if field == "year":
            return g.get("year") is None or g.get("year") == p.get("year")
        if field == "measure":  # a gold file older than SCHEMA v2 has no measure
            return "measure" not in g or g.get("measure") == p.get("measure")
        if field == "unit":
            return unit_key(g.get("unit")) == unit_key(p.get("unit"))
        return g.get(field) == p.get(field)

    masked_gold, masked_pred = defaultdict(int), defaultdict(int)
    for g in gold_rows:
        masked_gold[str(g["doc_id"])] += bool(g.get("masked"))
    for p in pred_rows:
        masked_pred[str(p["doc_id"])] += bool(p.get("masked"))
    n_masked = sum(masked_gold.values())
    return {
        "gold": len(gold), "predicted": len(pred), "matched": len(pairs),
        "precision": len(pairs) / len(pred) if pred else 0.0,
        "recall": len(pairs) / len(gold) if gold else 0.0,
        "f1": _f1(len(pairs), len(pred), len(gold)),
        "strict_f1": _f1(sum(right(g, p, "kind") for g, p in pairs), len(pred), len(gold)),
        "full_f1": _f1(sum(all(right(g, p, f) for f in FIELDS_ALL_RIGHT) for g, p in pairs), len(pred), len(gold)),
        "accuracy": {f: (sum(right(g, p, f) for g, p in pairs) / len(pairs) if pairs else None) for f in FIELDS_ALL_RIGHT},
        "masked_recall": (sum(min(masked_pred[d], n) for d, n in masked_gold.items()) / n_masked) if n_masked else None,
    }


def restrict_to_passages(gold: list[dict], records, documents) -> list[dict]:
    """The predicted records that lie in the paragraphs a gold file annotated.

    A check set annotates some passages of a document, not all of it: predictions are kept
    when their sentence lies inside an original line (``documents``' ``doc_id, original``)
    that holds a gold quote, compared without white space and with script and width
    normalised. ``records`` is an :func:`~workbench.extract_targets` table.
    """
    import json

    from .align import WHITE_SPACE, normalized_original

    def norm(text: str) -> str:  # what the aligner compares: script and width normalised, no white space
        return WHITE_SPACE.sub("", normalized_original(text))

    originals = dict(zip(documents["doc_id"], documents["original"]))
    passages: dict[str, set[str]] = {}
    for g in gold:
        line = next((ln for ln in originals.get(g["doc_id"], "").split("\n") if g["quote"] in ln), None)
        if line is not None:
            passages.setdefault(g["doc_id"], set()).add(norm(line))
    kept = records[[doc in passages and any(norm(s) in p for p in passages[doc])
                    for doc, s in zip(records["doc_id"], records["sentence_text"])]]
    return json.loads(kept.to_json(orient="records", force_ascii=False))
