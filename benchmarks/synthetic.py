"""Deterministic synthetic corpora of raw, realistic text, for benchmarks/run.py.

Each document (8–16 KB of UTF-8, 12 KB on average, so 10,000 documents ≈ 120 MB) is a
provincial government web page carrying a work report, built from the national government
work reports shipped in ``workbench/data/national/reports.jsonl``:

- a header of page furniture: site name, breadcrumbs (``您的位置：首页 > 要闻``), tool bars
  (``【字体：大 中 小】 分享：``, ``下载 / 全屏 / 加大 / 还原 / 减小``), ``时间：2021-01-26 来源：…``,
  ``责任编辑：`` with the name on the next line, 32-character hex ids; in a random order, each
  part present or not;
- a title line (``2021年浙江省政府工作报告``), the date/venue line and the governor's line;
- body paragraphs: runs of consecutive paragraphs of a randomly drawn report, each paragraph
  whole or a run of its sentences, sometimes followed by a run of sentences from another of
  its paragraphs; every number perturbed with its format kept (years shifted by a few years,
  other numbers' last one or two digits redrawn, full-width digits stay full-width) and place
  names swapped for others of the same kind (province, short name, city);
- in some documents hard wraps: body lines broken mid-word at widths of 20–40 characters,
  steady in some documents (a PDF copy) and irregular in others (every line its own width);
- some documents in traditional characters (OpenCC ``s2t``), some with ``　　`` indents;
- a footer: ``相关报道：`` with titles, ``相关附件>>`` with file names, copyright and ICP lines,
  the title and the first sentence repeated (a share snippet).

Document ``i`` depends only on ``(seed, i)``: the first 1,000 documents of the 10,000 corpus
are the 1,000 corpus. The folder records what it holds (``.complete``) and the share of unique
lines (``stats.json``), and is reused when complete and built by this same generator.
"""
from __future__ import annotations

import json
import re
import random
from pathlib import Path

GENERATOR = "national-raw-2"  # change when the output changes, so stale folders are rebuilt
SEED = 20261130
TARGET_BYTES = (8_000, 16_000)  # each document's UTF-8 size is drawn from this range: 12 KB on average
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

_SENTENCE = re.compile(r"[^。！？；]*[。！？；]+[”’」』）)]*|[^。！？；]+$")
_NUMBER = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")
_FULL = str.maketrans("0123456789", "０１２３４５６７８９")
_HALF = str.maketrans("０１２３４５６７８９", "0123456789")
_LICENCE = re.compile(r"本作品是中[华華]人民共和[国國]的")
_BLANK = re.compile(r"[\s\u200b\ufeff]+")
_STAFF = "零一二三四五六七八九十"
_CN_NUMBER = re.compile("[零一二三四五六七八九十百千万亿两]{3,}")
_CN_DIGITS = "一二三四五六七八九"
_NATIONAL = re.compile("我国|全国|国务院")


def _reports_path() -> Path:
    try:
        from workbench.resources import dataset_path

        return dataset_path("national")
    except (ImportError, ValueError):
        return ROOT / "workbench" / "data" / "national" / "reports.jsonl"


def load_material(path: Path | None = None) -> dict:
    """The raw material: each report's lines (as published, Wikisource's licence footer cut off)
    split into sentences, the furniture word lists, and one pattern matching every place name."""
    path = Path(path) if path else _reports_path()
    reports = []
    with path.open(encoding="utf-8") as fh:
        for record in fh:
            content = json.loads(record)["content"]
            cut = _LICENCE.search(content)
            if cut:
                content = content[:cut.start()]
            paragraphs = [line.strip() for line in content.split("\n") if _BLANK.sub("", line)]
            reports.append([_SENTENCE.findall(p) or [p] for p in paragraphs])
    words = json.loads((HERE / "furniture.json").read_text(encoding="utf-8"))
    names = {"full": [p[0] for p in words["provinces"]], "short": [p[1] for p in words["provinces"]],
             "city": words["cities"]}
    kind = {name: k for k, values in names.items() for name in values}
    places = re.compile("|".join(sorted(map(re.escape, kind), key=len, reverse=True)))
    return {"reports": reports, "words": words, "names": names, "kind": kind, "places": places}


# --- perturbations -----------------------------------------------------------------------------


def perturb_numbers(text: str, rng: random.Random) -> str:
    """Change every number, keeping its format: digits count, decimal point, full or half width.

    A year (a four-digit number from 1949 to 2035) moves by up to three years; any other number
    has its last one or two digits redrawn (a leading digit stays non-zero).
    """

    def repl(m: re.Match) -> str:
        written = m.group()
        full = written != written.translate(_HALF)
        digits = written.translate(_HALF).replace("．", ".")
        if "." not in digits and len(digits) == 4 and 1949 <= int(digits) <= 2035:
            new = str(int(digits) + rng.randint(-3, 3))
        else:
            chars = list(digits)
            places = [i for i, c in enumerate(chars) if c.isdigit()][-2:]
            for i in places:
                low = 1 if i == 0 and len([c for c in chars if c.isdigit()]) > 1 else 0
                chars[i] = str(rng.randint(low, 9))
            new = "".join(chars)
        return new.translate(_FULL).replace(".", "．") if full else new

    def repl_cn(m: re.Match) -> str:
        chars = list(m.group())
        places = [i for i, c in enumerate(chars) if c in _CN_DIGITS]
        if places:
            chars[rng.choice(places)] = rng.choice(_CN_DIGITS)
        return "".join(chars)

    return _CN_NUMBER.sub(repl_cn, _NUMBER.sub(repl, text))


def localize(text: str, level: str, rng: random.Random) -> str:
    """Speak as a province, city or region (``level`` 省, 市 or 区), as regional reports echo the
    national one: each 我国, 全国, 国务院 becomes 我省, 全省, 省政府 (or stays) at random."""
    local = {"我国": f"我{level}", "全国": f"全{level}", "国务院": ("自治区" if level == "区" else level) + "政府"}
    return _NATIONAL.sub(lambda m: local[m.group()] if rng.random() < 0.5 else m.group(), text)


def swap_places(text: str, material: dict, rng: random.Random) -> str:
    """Replace each place name by a random one of the same kind (province, short name, city)."""
    names, kind = material["names"], material["kind"]
    return material["places"].sub(lambda m: rng.choice(names[kind[m.group()]]), text)


def hard_wrap(line: str, rng: random.Random, width: int | None) -> list[str]:
    """Break a line every ``width`` characters (±1), or at random widths 20–40 when ``width`` is None."""
    out, start = [], 0
    while len(line) - start > 40:
        step = rng.randint(20, 40) if width is None else width + rng.randint(-1, 1)
        out.append(line[start:start + step])
        start += step
    out.append(line[start:])
    return out


# --- one document ----------------------------------------------------------------------------


def _name(words: dict, rng: random.Random) -> str:
    return rng.choice(words["surnames"]) + "".join(rng.choice(words["given"]) for _ in range(rng.randint(1, 2)))


def _body(material: dict, rng: random.Random, budget: int, level: str) -> list[str]:
    """Body paragraphs of about ``budget`` UTF-8 bytes."""
    reports = material["reports"]
    out, size = [], 0
    while size < budget:
        report = rng.choice(reports)
        start = rng.randrange(len(report))
        for sentences in report[start:start + rng.randint(2, 6)]:
            if len(sentences) >= 3 and rng.random() < 0.7:  # a run of two sentences or more
                a = rng.randrange(len(sentences) - 1)
                sentences = sentences[a:rng.randint(a + 2, len(sentences))]
            text = "".join(sentences)
            if len(text) > 20 and rng.random() < 0.4:
                other = rng.choice(report)
                a = rng.randrange(len(other))
                text += "".join(other[a:a + rng.randint(1, 3)])
            text = localize(swap_places(perturb_numbers(text, rng), material, rng), level, rng)
            out.append(text)
            size += len(text.encode("utf-8")) + 1
            if size >= budget:
                break
    return out


def make_document(i: int, material: dict, *, seed: int = SEED) -> tuple[str, int, int]:
    """Document ``i`` of the corpus, and how many of its first and last lines are not body
    (furniture, title, venue and governor's lines)."""
    rng = random.Random(seed * 1_000_003 + i)
    words = material["words"]
    province, short, head = rng.choice(words["provinces"])
    city = rng.choice(words["cities"])
    year = rng.randint(2001, 2025)
    month, day = rng.randint(1, 2), rng.randint(5, 28)
    title = f"{year}年{province}政府工作报告"
    fill = {"province": province, "short": short, "city": city, "year": year, "title": title,
            "channel": rng.choice(words["channels"]), "code": f"{rng.randint(1000, 9999)}000001",
            "icp": f"{rng.randint(5, 19):02d}{rng.randint(0, 99999):05d}",
            "psb": f"{rng.randint(10 ** 13, 10 ** 14 - 1)}"}
    fill["site"] = rng.choice(words["sites"]).format(**fill)

    def hexid() -> str:
        return f"{rng.getrandbits(128):032x}"

    parts = [[fill["site"]], [rng.choice(words["breadcrumbs"]).format(**fill)],
             [f"时间：{year}-{month:02d}-{day:02d} 来源：{rng.choice(words['sources']).format(**fill)}"],
             [rng.choice(words["tools"])], ["下载 / 全屏 / 加大 / 还原 / 减小"], [hexid()], ["责任编辑：", _name(words, rng)]]
    rng.shuffle(parts)  # parts move, the lines of a part stay together
    header = [line for part in parts if rng.random() < 0.8 for line in part]
    session = rng.randint(8, 14)
    opening = [title, f"——{year}年{month}月{day}日在{province}第{_cn(session)}届人民代表大会第{_cn(rng.randint(1, 6))}次会议上",
               f"{province}{head}　{_name(words, rng)}", "各位代表："]
    footer_parts = [["相关报道：", *(f"{year - k}年{rng.choice(material['names']['full'])}政府工作报告"
                                    for k in range(1, rng.randint(2, 5)))],
                    ["相关附件>>", *(rng.choice(words["attachments"]).format(**fill) for _ in range(rng.randint(1, 2)))],
                    [c.format(**fill) for c in words["copyright"] if rng.random() < 0.7],
                    ["责任编辑：", _name(words, rng)], [hexid()]]
    footer = [line for part in footer_parts if rng.random() < 0.8 for line in part]
    furniture_bytes = sum(len(line.encode("utf-8")) + 1 for line in header + opening + footer)
    level = "区" if province.endswith("自治区") else province[-1]
    body = _body(material, rng, rng.randint(*TARGET_BYTES) - furniture_bytes - 200, level)
    footer += [title, body[0][:body[0].find("。") + 1] or body[0][:60]]  # the share snippet
    indent = "　　" if rng.random() < 0.3 else ""
    wrap = rng.random()
    if wrap < 0.3:  # hard-wrapped: a PDF copy (steady width) or a narrow column (every line its own)
        width = rng.randint(21, 39) if wrap < 0.15 else None
        body = [piece for para in body for piece in hard_wrap(indent + para, rng, width)]
    else:
        body = [indent + para for para in body]
    lines = header + opening + body + footer
    text = "\n".join(lines) + "\n"
    if rng.random() < 0.15:  # a page in traditional characters
        text = _s2t().convert(text)
    return text, len(header) + len(opening), len(footer)


def _cn(n: int) -> str:
    return _STAFF[n] if n <= 10 else "十" + _STAFF[n - 10]


_CONVERTER = []


def _s2t():
    if not _CONVERTER:
        from opencc import OpenCC

        _CONVERTER.append(OpenCC("s2t"))
    return _CONVERTER[0]


# --- the corpus ------------------------------------------------------------------------------


def make_corpus(folder: Path, n_docs: int, *, seed: int = SEED) -> Path:
    """Write ``n_docs`` documents ``doc00000.txt``… and ``stats.json``; reuse the folder if complete."""
    folder = Path(folder)
    done = folder / ".complete"
    stamp = f"{n_docs} {seed} {GENERATOR}"
    if done.is_file() and done.read_text() == stamp and (folder / "stats.json").is_file():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("doc*.txt"):
        old.unlink()
    material = load_material()
    seen_all, seen_body = set(), set()
    n_lines = n_body = n_bytes = n_chars = 0
    for i in range(n_docs):
        text, head, foot = make_document(i, material, seed=seed)
        (folder / f"doc{i:05d}.txt").write_text(text, encoding="utf-8")
        n_bytes += len(text.encode("utf-8"))
        n_chars += len(text)
        lines = text.split("\n")[:-1]  # the text ends with a newline
        for k, line in enumerate(lines):
            line = line.strip()
            if not line:
                continue
            n_lines += 1
            seen_all.add(line)
            if head <= k < len(lines) - foot:
                n_body += 1
                seen_body.add(line)
    stats = {"documents": n_docs, "bytes": n_bytes, "chars": n_chars, "lines": n_lines,
             "unique_lines": len(seen_all), "unique_share": len(seen_all) / max(n_lines, 1),
             "body_lines": n_body, "unique_body_lines": len(seen_body),
             "unique_body_share": len(seen_body) / max(n_body, 1), "seed": seed, "generator": GENERATOR}
    (folder / "stats.json").write_text(json.dumps(stats, indent=2), encoding="utf-8")
    done.write_text(stamp)
    return folder


def corpus_stats(folder: Path) -> dict:
    """What :func:`make_corpus` recorded about the folder: size and the share of unique lines."""
    return json.loads((Path(folder) / "stats.json").read_text(encoding="utf-8"))


if __name__ == "__main__":  # python benchmarks/synthetic.py N FOLDER: build and show one corpus
    import sys

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else HERE / "results" / f"corpus-{n}"
    print(json.dumps(corpus_stats(make_corpus(target, n)), indent=2))
