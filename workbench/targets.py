"""Quantitative targets: every number a plan sets (target) or reports (achieved).

The extractor reads a sentence in five steps, each a small function driven by
the cue tables in ``data/target_cues.json``:

1. **number → unit** (:func:`workbench.numbers.find_quantities`), dropping dates,
   ordinals, rankings, session numbers, names and enumerations (:func:`is_record`);
2. **comparator** from the words right around the number (:func:`comparator_of`);
3. **indicator** from the clause's structure: the phrase before the number, or
   after it when the clause starts with the number (:func:`indicator_of`), and
   its ``indicator_id`` through the lexicon ``data/indicators.csv``;
4. **kind** (target / achieved) from the nearest cue in the clause, then the
   sentence, the paragraph's opening, the section heading, the document;
5. **year**: the deadline or the year reported, from explicit years, periods
   (十四五 → 2025), 年内/今年/全年 and the document's own date.

Records have exactly the fields of the target schema plus their position.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import datafiles, steps
from .align import locate, normalized_original
from .clean import NUMBERING, TERMINAL_PUNCT
from .numbers import Quantity, chinese_to_number, cues, find_quantities

log = logging.getLogger("workbench")

SCHEMA_FIELDS = ("doc_id", "quote", "indicator", "indicator_id", "value", "unit", "value_base", "comparator",
                 "year", "kind", "masked")
POSITION_FIELDS = ("paragraph", "sentence", "start", "end", "sentence_start", "sentence_text")
KINDS = ("target", "achieved")

_CLAUSE_BREAK = re.compile(r"[，；。！？：,;]")
_SENTENCE_BREAK = re.compile(r"(?<=[。！？!?])")
_EXPLICIT_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d\d)\s*年(?!代)")
_BASE_YEAR_BEFORE = re.compile(r"(较|比|为|与|同)\s*$")
_GROWTH_ONLY = re.compile(r"^(同比|年均|分别|均)?(增长|提高|下降|增加|减少|改善幅度)(分别)?$")
_LEADING_NOISE = re.compile(
    r"^(其中|同时|并且|并|全年|上半年|今年|年内|到\d{4}年|\d{4}年|力争|确保|努力|累计|共|全市|全区|全县|新的一年|预计|"
    r"实现|完成|我们|所有|成功|在|使|以|通过三年努力|“十四五”末|“十四五”时期|十四五末|五年)+")
_TRAILING_VERBS = re.compile(r"(分别达到|分别达|达到|达|突破|超过|稳超|超|为|实现|完成|控制在|稳定在|均在|在|约|近|不低于|"
                             r"不少于|跨越|过|跻身|是|占|的)+$")


# --- lexicon -------------------------------------------------------------------------


def parse_lexicon(text: str) -> tuple[tuple[str, str], ...]:
    """``(keyword, indicator_id)`` rows of a lexicon CSV's text (columns ``keyword,indicator_id``)."""
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or not {"keyword", "indicator_id"} <= set(reader.fieldnames):
        raise ValueError("an indicator lexicon needs the columns keyword,indicator_id")
    return tuple((r["keyword"].strip(), r["indicator_id"].strip()) for r in reader if (r["keyword"] or "").strip())


@lru_cache(maxsize=1)
def _shipped_lexicon() -> tuple[tuple[str, str], ...]:
    from .resources import data_path

    return datafiles.parsed(datafiles.read(data_path("indicators.csv")), parse_lexicon)


def load_indicator_lexicon(path: str | Path | datafiles.DataFile | None = None) -> tuple[tuple[str, str], ...]:
    """``(keyword, indicator_id)`` pairs, longest keyword first (shipped ``indicators.csv`` plus ``path``).

    The user's file is read by content (:mod:`workbench.datafiles`): an edit is seen at once.
    """
    rows = list(_shipped_lexicon())
    if path is not None:
        data = path if isinstance(path, datafiles.DataFile) else datafiles.read(path, what="indicator lexicon")
        rows.extend(datafiles.parsed(data, parse_lexicon))
    return _longest_first(tuple(rows))


@lru_cache(maxsize=8)
def _longest_first(rows: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    # A user's rows come last but win ties by being checked first among equal lengths.
    return tuple(sorted(reversed(rows), key=lambda kv: -len(kv[0])))


def classify_indicator(*texts: str, lexicon_path: str | Path | datafiles.DataFile | None = None) -> str:
    """The ``indicator_id`` of the first text holding a lexicon keyword (longest keyword wins), else ``other``.

    >>> classify_indicator("高新技术产业产值占规上工业总产值比重")
    'innovation'
    """
    return match_indicator(*texts, lexicon_path=lexicon_path) or "other"


def match_indicator(*texts: str, lexicon_path: str | Path | datafiles.DataFile | None = None) -> str | None:
    """Like :func:`classify_indicator`, but None when no keyword matches."""
    lexicon = load_indicator_lexicon(lexicon_path)
    for text in texts:
        if not text:
            continue
        for keyword, indicator_id in lexicon:
            if keyword in text:
                return indicator_id
    return None


# --- step 1: is this number a record? ---------------------------------------------------


def is_record(q: Quantity, text: str) -> bool:
    """False for dates, ordinals, rankings, streaks, session numbers, names in quotes and enumerations."""
    table = cues()
    before, after = text[max(0, q.start - 3):q.start], text[q.end:q.end + 4]
    number_end = q.start + len(q.number_text)
    if any(before.endswith(w) for w in table["not_before"]):
        return False
    if any(after.startswith(w) for w in table["not_after"]) or text[number_end:number_end + 1] in ("+", "届"):
        return False
    if q.masked and any(text[number_end:].startswith(w) for w in ["届", *[f"{s}" for s in table["session"]]]):
        return False
    if q.unit == "次" and any(text[q.end - 1:].startswith(w) for w in table["session"]):
        return False
    if q.unit.endswith("个") and re.match(r"多?月|小时", after):
        return False  # durations: 5个多月
    if before.endswith("“") and re.match(r"[”\"]", text[number_end:number_end + 1] or " "):
        return False  # names in quotes: “521”工程
    if text[q.end:q.end + 1] == "”":
        opening = text.rfind("“", 0, q.start)
        inside = text[opening + 1:q.start] if opening >= 0 else ""
        if len(re.findall(r"[\u4e00-\u9fff]", inside)) >= 2 and not any(
                inside.endswith(w) for w in table["comparator_before"]):
            return False  # the number ends a quoted name: “乡村文明20条”
    bare = not q.masked and not re.search(r"[\d一二两三四五六七八九十百千〇零]", q.number_text.rstrip("万亿"))
    if bare and q.magnitude < 1e12 and not any(q.unit.endswith(u) for u in table["area_units"]):
        return False  # 亿元以上项目, 万众瞩目: a magnitude word without a numeral
    if not q.masked and not q.number_text[0].isdigit():  # Chinese numerals
        window = text[max(0, q.start - 2):q.end + 2]
        if any(idiom in window for idiom in table["idioms"]):
            return False
        small = (q.value or 0) < 100 and q.magnitude == 1.0
        if small and q.unit not in ("倍", "番") and not q.level:
            return False  # 三项机制, 两个维护: enumeration, not measurement
    if q.level and q.magnitude < 1e8 and not q.unit.startswith(("亿", "万亿")):
        return False  # grades: 4A级, 三级医院
    return True


# --- step 2: comparator ----------------------------------------------------------------


def comparator_of(q: Quantity, clause: str, offset: int, sentence_before: str) -> str:
    """``>=``, ``<=``, ``~`` or ``=`` from the words right after and right before the number.

    ``clause`` is the clause holding the number, ``offset`` the number's position in it;
    ``预计`` earlier in the sentence makes a figure without its own bound approximate.
    """
    table = cues()
    if q.approx_more:
        return ">="
    end = offset + (q.end - q.start)
    after = clause[end:end + 4]
    for word, comp in table["comparator_after"].items():
        if word not in ("余", "多") and after.startswith(word):
            return comp
    before = clause[:offset]
    not_after = table["comparator_before_not_after"]
    for word in sorted(table["comparator_before"], key=len, reverse=True):
        i = before.rfind(word)
        if i < 0 or (i > 0 and before[i - 1] in not_after.get(word, "")):
            continue
        between = before[i + len(word):]
        if re.fullmatch(r"[\s\dX.,万亿千百元个%和、及]*", between) and len(between) <= 12:
            if word in ("控制在",) and "以内" not in after and "以下" not in after:
                return "<="
            return table["comparator_before"][word]
    if any(w in sentence_before for w in table["approximate_sentence"]):
        return "~"
    if re.match(r"[（(](" + "|".join(table["approximate_sentence"]) + ")", clause[end:] or " "):
        return "~"  # 7400亿元（预计，下同）
    return "="


# --- step 3: indicator ---------------------------------------------------------------------


_LIST_ITEM_END = re.compile(r"(?:\d|X|[万亿千百])[^、，\d]{0,3}(?:以上|以下|以内|左右)?[、和及]")
_LAST_CUE = re.compile(r"^.*(今年|年内|全年|上半年|下半年|新的一年|到\d{4}年|到年底|力争|确保|其中)")


def indicator_of(clause: str, offset: int, q_len: int, *, level: bool = False) -> str:
    """The phrase the number measures: the clause before the number (from the previous list
    item on), trimmed of cue words and verbs; the words after the number when nothing is
    left, when the words before end a list of examples (…等), or for a size level (百亿级产业)."""
    head = clause[:offset]
    items = list(_LIST_ITEM_END.finditer(head))
    if items:
        head = head[items[-1].end():]
    head = _LAST_CUE.sub("", head.strip())
    head = _LEADING_NOISE.sub("", head)
    head = _TRAILING_VERBS.sub("", head).strip("“”\"'（）() ")
    tail = clause[offset + q_len:]
    if tail.startswith(("（", "(")):
        tail = ""
    tail = re.split(r"[、\d]|X", re.sub(r"^(以上|以下|以内|左右|余|多)", "", tail), maxsplit=1)[0].strip("“”\"'（）() ")
    if (len(head) < 2 or head.endswith("等") or level) and len(tail) >= 2:
        return tail
    return head or tail


# --- steps 4 and 5: kind and year ------------------------------------------------------


@lru_cache(maxsize=64)
def _cue_patterns(words: tuple[str, ...]) -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(w), w) for w in words)


def _cue_positions(text: str, words) -> list[tuple[int, str]]:
    """``(end, cue)`` of every match of every cue (a regular expression), cue by cue."""
    return [(m.end(), w) for pattern, w in _cue_patterns(tuple(words)) for m in pattern.finditer(text)]


def _has_cue(text: str, words) -> bool:
    return any(pattern.search(text) for pattern, _ in _cue_patterns(tuple(words)))


def nearest_kind(text: str, upto: int, *, strong: bool = True) -> str | None:
    """The kind of the last cue before position ``upto``, among the strong (or the weak) cues.

    Modal cues of a target (力争, 确保, 到2025年…) win over a report cue (累计) in the same text.
    """
    table = cues()
    target_words, achieved_words = ((table["strong_target_cues"], table["strong_achieved_cues"]) if strong
                                    else (table["target_cues"], table["achieved_cues"]))
    text = text[:upto]
    if strong and _has_cue(text, table["modal_cues"]):
        return "target"  # a modal verb governs its whole sentence: 确保城镇累计新增就业人数超过35万
    hits = ([(pos, "target") for pos, _ in _cue_positions(text, target_words)]
            + [(pos, "achieved") for pos, _ in _cue_positions(text, achieved_words)])
    return max(hits)[1] if hits else None


def kind_of(sentence: str, position: int, ctx: "_Context") -> str:
    """Target or achieved, by the precedence written in ``data/target_cues.json``."""
    found = (nearest_kind(sentence, position) or nearest_kind(sentence, len(sentence))
             or ctx.paragraph_kind or ctx.subsection_kind or ctx.section_kind
             or nearest_kind(sentence, position, strong=False) or nearest_kind(sentence, len(sentence), strong=False))
    if found:
        return found
    years = [int(y) for y in _EXPLICIT_YEAR.findall(sentence)]
    if ctx.doc_year and years:
        if max(years) > ctx.doc_year:
            return "target"
        if max(years) < ctx.doc_year:
            return "achieved"
    return ctx.doc_kind


def heading_kind(text: str) -> str | None:
    """Kind implied by a section heading (成就, 回顾 → achieved; 目标, 任务, 十四五 → target)."""
    table = cues()
    a = sum(w in text for w in table["section_achieved"])
    t = sum(w in text for w in table["section_target"])
    if a > t:
        return "achieved"
    if t > a:
        return "target"
    return None


def period_year(text: str, doc_year: int | None) -> int | None:
    """The end year of a period named in ``text`` (十三五 → 2020, 十四五 → 2025, 今后五年 → next plan's end)."""
    best = None
    if doc_year and re.search(r"过去五年|五年来", text):
        return (doc_year // 5) * 5  # the last five-year plan that has ended
    for word, year in cues()["period_years"].items():
        if word in text:
            if word in ("今后五年", "未来五年") and doc_year:
                year = (doc_year // 5 + 1) * 5
            best = year if best is None else best
    return best


def explicit_year(text: str) -> int | None:
    """The last explicit ``NNNN年`` in ``text`` that is not a base year (较2015年, 在2025年基础上)."""
    years = []
    for m in _EXPLICIT_YEAR.finditer(text):
        if _BASE_YEAR_BEFORE.search(text[:m.start()]) or text[m.end():m.end() + 4].startswith(("基础上", "的", "以来", "起")):
            continue
        years.append(int(m.group(1)))
    return years[-1] if years else None


@dataclass
class _Context:
    doc_id: str
    doc_year: int | None
    review_year: int | None
    section_kind: str | None = None
    section_year: int | None = None
    subsection_kind: str | None = None
    subsection_year: int | None = None
    paragraph_kind: str | None = None
    paragraph_year: int | None = None
    doc_kind: str = "achieved"
    lexicon: datafiles.DataFile | None = None
    horizon: int | None = None


def _year(kind: str, clause_before: str, sentence_before: str, sentence: str, ctx: _Context) -> int | None:
    current = r"年内|今年|全年|新的一年|下半年|上半年"
    y = explicit_year(clause_before)
    if y:
        return y
    m = re.search(r"通过(\w)年努力", sentence)
    if m and kind == "target" and ctx.doc_year:
        try:
            return ctx.doc_year + int(chinese_to_number(m.group(1))) - 1
        except (ValueError, TypeError):
            pass
    p = period_year(sentence_before, ctx.doc_year) or period_year(clause_before, ctx.doc_year)
    if p:
        return p
    if re.search(current, sentence):
        return ctx.doc_year if kind == "target" else ctx.review_year
    y = explicit_year(sentence_before)
    if y:
        return y
    if kind == "target":
        return ctx.subsection_year or ctx.paragraph_year or ctx.section_year or ctx.horizon or ctx.doc_year
    return ctx.paragraph_year or ctx.subsection_year or ctx.section_year or ctx.review_year


# --- the extractor -------------------------------------------------------------------------


def _doc_years(row) -> tuple[int | None, int | None]:
    year = None if pd.isna(row["year"]) else int(row["year"])
    date = str(row["date"] or "")
    month = int(date[5:7]) if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", date) else None
    review = year - 1 if (year and month and month <= 2) else year
    return year, review


def _is_heading(text: str) -> bool:
    return len(text) <= 40 and (bool(NUMBERING.match(text)) or text[-1] not in TERMINAL_PUNCT + "。”")


def _clauses(sentence: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for m in _CLAUSE_BREAK.finditer(sentence):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(sentence)))
    return bounds


def extract_from_paragraph(text: str, ctx: _Context) -> list[dict]:
    """Records of one clean paragraph (positions relative to the paragraph)."""
    records: list[dict] = []
    pos = 0
    for sentence in _SENTENCE_BREAK.split(text):
        if not sentence:
            continue
        s_start = pos
        pos += len(sentence)
        clauses = _clauses(sentence)
        last_indicator, last_clause_start = None, None
        for q in find_quantities(sentence):
            if not is_record(q, sentence):
                continue
            c_start, c_end = next((a, b) for a, b in clauses if a <= q.start < b or (a <= q.start and b == len(sentence)))
            clause = sentence[c_start:c_end]
            offset = q.start - c_start
            indicator = indicator_of(clause, offset, q.end - q.start, level=q.level)
            quote_start = c_start
            if _GROWTH_ONLY.match(_LEADING_NOISE.sub("", clause[:offset]).strip()) and last_indicator:
                # 增长3.2% after 地区生产总值623.2亿元: the growth of the previous clause's indicator
                growth = _TRAILING_VERBS.sub("", clause[:offset]).strip() or "增长"
                indicator = last_indicator + (growth if growth not in last_indicator else "")
                quote_start = last_clause_start
            elif indicator in ("", "和", "、") and last_indicator:
                indicator, quote_start = last_indicator, last_clause_start
            kind = kind_of(sentence, q.start, ctx)
            year = _year(kind, clause[:offset], sentence[:q.start], sentence, ctx)
            records.append({
                "doc_id": ctx.doc_id,
                "quote_span": (s_start + quote_start, s_start + c_end),
                "indicator": indicator,
                "indicator_id": match_indicator(indicator, clause, lexicon_path=ctx.lexicon),
                "quantity_text": sentence[q.start:q.end],
                "value": q.value,
                "unit": q.unit,
                "value_base": q.value_base,
                "comparator": comparator_of(q, clause, offset, sentence[:q.start]),
                "year": year,
                "kind": kind,
                "masked": q.masked,
                "start": s_start + q.start,
                "end": s_start + q.end,
                "sentence_start": s_start,
                "sentence_text": sentence,
            })
            if records[-1]["indicator_id"] is None:  # 覆盖群众 after 文明实践活动: the sentence's topic goes on
                same = len(records) > 1 and records[-2]["sentence_text"] == sentence
                records[-1]["indicator_id"] = records[-2]["indicator_id"] if same else "other"
            if not _GROWTH_ONLY.match(indicator):
                last_indicator, last_clause_start = re.sub(r"(增长|提高|下降)$", "", indicator), c_start
    return records


def extract_targets(corpus, *, kind: str | None = None, lexicon: str | Path | None = None, engine=None,
                    workers: int | None = None, progress: bool | None = None, cache: bool = True) -> pd.DataFrame:
    """Extract every quantitative target and achieved figure of a corpus.

    Parameters
    ----------
    corpus : Corpus
        From :func:`workbench.load_corpus`.
    kind : {"target", "achieved"}, optional
        Keep only records of this kind.
    lexicon : path, optional
        A CSV ``keyword,indicator_id`` extending the shipped indicator lexicon.
    engine, workers, progress
        Where documents are processed (see :mod:`workbench.engines`); same records on every engine.
    cache : bool
        Keep the records in the user cache (a step of :mod:`workbench.steps`), each document's
        keyed by its text and the extraction code and data: an unchanged corpus is not
        extracted twice, and after an edit only the edited documents are.

    Returns
    -------
    DataFrame
        One row per record, in document order: the schema fields ``doc_id,
        quote, indicator, indicator_id, value, unit, value_base, comparator,
        year, kind, masked`` (``quote`` copied from the original file text), then
        ``paragraph, sentence`` (indices into the corpus tables), ``start, end``
        (offsets of the number in the clean text) and ``sentence_text``.

    Examples
    --------
    >>> import workbench as wb
    >>> t = wb.extract_targets(wb.load_corpus())
    >>> t.loc[t["quote"].str.contains("高新技术企业突破3000家"), ["value", "unit", "comparator", "year", "kind"]].values.tolist()
    [[3000.0, '家', '>=', 2025, 'target']]
    """
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)} or None, not {kind!r}")
    paragraphs = _rows_by_doc(corpus.paragraphs, ["paragraph", "text", "start", "orig_start"])
    sentences = _rows_by_doc(corpus.sentences, ["sentence", "start"])
    fields = ["doc_id", "year", "date", "original", "text"]
    jobs = [(doc, paragraphs.get(doc["doc_id"], []), sentences.get(doc["doc_id"], []))
            for doc in corpus.documents[fields].to_dict(orient="records")]
    lexicon_file = datafiles.read(lexicon, what="indicator lexicon") if lexicon else None
    if lexicon_file:
        datafiles.parsed(lexicon_file, parse_lexicon)  # a bad file is the caller's error, not a document's
    result = steps.run(TARGETS_STEP, jobs, fingerprints=[_fingerprint(job) for job in jobs] if cache else None,
                       options={"lexicon": lexicon_file}, data=[lexicon_file] if lexicon_file else [], cache=cache,
                       engine=engine, workers=workers, progress=progress, desc="targets")
    table = result.tables["targets"]
    if kind is not None:
        table = table[table["kind"] == kind].reset_index(drop=True)
    return table


def _rows_by_doc(table: pd.DataFrame, columns: list[str]) -> dict[str, list[tuple]]:
    """Plain ``(column, ...)`` tuples per document: light to send to another process."""
    values = table[columns].astype(object).where(table[columns].notna(), None)
    rows = list(zip(*(values[c].tolist() for c in columns)))
    return {doc_id: [rows[i] for i in idx] for doc_id, idx in table.groupby("doc_id", sort=False).indices.items()}


def _fingerprint(job) -> bytes:
    """What one document's records depend on besides the lexicon and the code: its texts,
    paragraph and sentence offsets and dates."""
    doc, paragraphs, sentences = job
    h = hashlib.sha256(json.dumps([doc["doc_id"], None if pd.isna(doc["year"]) else int(doc["year"]),
                                   str(doc["date"] or ""), [(p, start, orig) for p, _text, start, orig in paragraphs],
                                   sentences], default=int).encode("utf-8"))
    h.update(doc["original"].encode("utf-8", "surrogatepass"))
    h.update(b"\x00")
    h.update(doc["text"].encode("utf-8", "surrogatepass"))
    return h.digest()


def _extract_document(job, *, lexicon: datafiles.DataFile | None) -> dict[str, dict[str, list]]:
    """The records of one document (the target step's computation, in any process): ``job`` is
    (document row, its paragraphs, its sentences), the paragraphs as ``(paragraph, text, start,
    orig_start)`` and the sentences as ``(sentence, start)``."""
    records = _extract_records(*job, lexicon)
    return {"targets": {col: [rec[col] for rec in records] for col in TARGETS_STEP.columns["targets"]}}


def extract_document(document, paragraphs, sentences, *, lexicon: str | Path | None = None) -> pd.DataFrame:
    """The records of one document, uncached: the building block :func:`extract_targets` maps.

    ``document`` is a row of ``corpus.documents`` (``doc_id, year, date, original, text``);
    ``paragraphs`` and ``sentences`` are that document's rows of the corpus tables.

    >>> import workbench as wb
    >>> one = wb.corpus.load_document(wb.resources.bundled_corpus_dir() / "001_534d44b1b875ba47.txt")
    >>> records = extract_document(one.documents.iloc[0], one.paragraphs, one.sentences)
    >>> records.loc[0, ["value", "unit", "kind"]].tolist()
    [20.0, '%', 'target']
    """
    job = (dict(document[["doc_id", "year", "date", "original", "text"]]),
           list(_rows_by_doc(paragraphs, ["paragraph", "text", "start", "orig_start"]).values())[0] if len(paragraphs) else [],
           list(_rows_by_doc(sentences, ["sentence", "start"]).values())[0] if len(sentences) else [])
    lexicon_file = datafiles.read(lexicon, what="indicator lexicon") if lexicon else None
    tables = _extract_document(job, lexicon=lexicon_file)["targets"]
    return pd.DataFrame({c: steps._column([tables[c]], dtype) for c, dtype in TARGETS_STEP.columns["targets"].items()})


_COLUMN_TYPES = {"value": "float64", "value_base": "float64", "year": "Int64", "masked": "bool", "paragraph": "int64",
                 "sentence": "int64", "start": "int64", "end": "int64", "sentence_start": "int64"}
TARGETS_STEP = steps.Step(
    name="targets", compute=_extract_document,
    columns={"targets": {col: _COLUMN_TYPES.get(col, "str") for col in (*SCHEMA_FIELDS, *POSITION_FIELDS)}},
    code=("targets", "numbers", "align", "clean", "steps", "data/target_cues.json", "data/indicators.csv"),
)


def _extract_records(doc, paragraphs, sentences, lexicon: datafiles.DataFile | None) -> list[dict]:
    doc_year, review_year = _doc_years(doc)
    ctx = _Context(doc["doc_id"], doc_year, review_year, lexicon=lexicon)
    ctx.doc_kind, ctx.horizon = _document_defaults(doc["text"], doc_year)
    normalized = normalized_original(doc["original"])
    sent_ids = [number for number, _ in sentences]
    sent_starts = [start for _, start in sentences]
    rows = []
    for p_index, p_text, p_start, p_orig in paragraphs:
        _update_context(ctx, p_text)
        for rec in extract_from_paragraph(p_text, ctx):
            q_start, q_end = rec.pop("quote_span")
            clean_quote = p_text[q_start:q_end]
            hint = 0 if p_orig is None else int(p_orig)
            span = locate(clean_quote, normalized, hint)
            rec["quote"] = doc["original"][span[0]:span[1]] if span else clean_quote
            rec["unit"] = _unit_as_written(rec.pop("quantity_text"), rec["unit"], doc["original"], normalized,
                                           span[0] if span else hint)
            rec["paragraph"] = p_index
            rec["start"] += p_start
            rec["end"] += p_start
            rec["sentence_start"] += p_start
            idx = bisect_right(sent_starts, rec["start"]) - 1
            rec["sentence"] = int(sent_ids[max(idx, 0)])
            rows.append(rec)
    return rows


def _document_defaults(text: str, doc_year: int | None) -> tuple[str, int | None]:
    """The kind most of a document's strong cues point to, and its planning horizon
    (the end of a five-year period named at least three times and later than the document)."""
    table = cues()
    t = len(_cue_positions(text, table["strong_target_cues"]))
    a = len(_cue_positions(text, table["strong_achieved_cues"]))
    horizon = None
    for word, year in table["period_years"].items():
        if doc_year and year > doc_year and text.count(word) >= 3 and word.startswith("十"):
            horizon = year
    return ("target" if t > a else "achieved"), horizon


def _unit_as_written(quantity: str, unit: str, original: str, normalized: str, hint: int) -> str:
    """The unit in the original's characters (億元, 個 in a traditional text), through the
    character alignment of the normalised original."""
    span = locate(quantity, normalized, hint)
    if span is None:
        return unit
    clean_chars = [c for c in quantity if not c.isspace()]
    orig_chars = [c for c in original[span[0]:span[1]] if not c.isspace()]
    if len(clean_chars) != len(orig_chars):
        return unit
    mapping = dict(zip(clean_chars, orig_chars))
    return "".join(mapping.get(c, c) for c in unit)


def _update_context(ctx: _Context, paragraph: str) -> None:
    """Track section headings and the paragraph's opening cues as reading proceeds."""
    if _is_heading(paragraph):
        kind = heading_kind(paragraph)
        year = period_year(paragraph, ctx.doc_year)
        top = bool(re.match(r"[一二三四五六七八九十]+、", paragraph))
        if top:
            ctx.section_kind, ctx.section_year = kind, year
            ctx.subsection_kind = ctx.subsection_year = None
        else:
            ctx.subsection_kind, ctx.subsection_year = kind or ctx.subsection_kind, year or ctx.subsection_year
        ctx.paragraph_kind = ctx.paragraph_year = None
        return
    opening = _SENTENCE_BREAK.split(paragraph, maxsplit=1)[0]
    ctx.paragraph_kind = nearest_kind(opening[:40], 40)
    ctx.paragraph_year = period_year(opening[:40], ctx.doc_year)
