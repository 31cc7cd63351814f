"""Benchmark: text reuse among 1,000 documents of ≈3,500 characters, with planted passages.

    python benchmarks/reuse.py [--sizes 250,500,1000] [--reports PATH] [--out FILE.json]

The documents are paragraphs of the national government work reports (1954–2025), sampled
with a fixed seed, so they share much real text with each other (each paragraph lands in
about four documents, as reports reuse wording). A fifth of the paragraphs is held back to
plant passages: 200 pairs (source, target) get the same passage of 50–300 characters, half of
them with one character in twenty changed in the target, a quarter written in traditional
characters. Each size runs ``text_reuse`` on all pairs in a child process of its own, so
the peak memory (max RSS) is its own; the time excludes loading the corpus. A planted
passage counts as found when one passage between its source and target covers 90% of it.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
REPORTS = Path("/work/shared/corpora/national-gwr/reports.jsonl")
TARGET_CHARS = 3_500
N_PLANTED = 200
SEED = 20261130


def report_paragraphs(path: Path) -> list[str]:
    """The paragraphs (≥ 20 characters) of the reports with a year, without Wikisource's licence text."""
    paragraphs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record.get("year") is None:
            continue
        for para in record["content"].split("\n"):
            para = para.strip()
            if len(para) >= 20 and "本作品" not in para and "Public domain" not in para and "维基" not in para:
                paragraphs.append(para)
    return paragraphs


def edit_one_in_twenty(text: str, rng: random.Random, alphabet: str) -> str:
    """``text`` with one character in twenty (at random places) replaced by another Han character."""
    chars = list(text)
    for i in rng.sample(range(len(chars)), max(1, len(chars) // 20)):
        chars[i] = rng.choice([c for c in alphabet if c != chars[i]][:50])
    return "".join(chars)


def make_corpus(folder: Path, n_docs: int, reports: Path) -> list[dict]:
    """Write the documents and return the planted passages (``source, target, text``); reuse a complete folder."""
    folder = Path(folder)
    done, truth = folder / ".complete", folder / "planted.json"
    if done.is_file() and done.read_text() == f"{n_docs} {SEED}":
        return json.loads(truth.read_text(encoding="utf-8"))
    from opencc import OpenCC

    to_traditional = OpenCC("s2t")
    rng = random.Random(SEED)
    paragraphs = report_paragraphs(reports)
    rng.shuffle(paragraphs)
    held = paragraphs[: len(paragraphs) // 5]
    pool = paragraphs[len(paragraphs) // 5:]
    alphabet = "".join(sorted({c for p in pool[:200] for c in p if "\u4e00" <= c <= "\u9fff"}))
    docs = []
    for i in range(n_docs):
        chosen, size = [], 0
        while size < TARGET_CHARS:
            chosen.append(rng.choice(pool))
            size += len(chosen[-1])
        docs.append(chosen)
    planted, long_held, used = [], [p for p in held if len(p) >= 60], set()
    for n in range(min(N_PLANTED, n_docs // 2)):
        source, target = rng.sample(range(n_docs), 2)
        para = long_held[n % len(long_held)]
        length = rng.randint(50, min(300, len(para)))
        start = rng.randint(0, len(para) - length)
        text = para[start:start + length]
        copy = edit_one_in_twenty(text, rng, alphabet) if n % 2 else text
        written = to_traditional.convert(copy) if n % 4 == 1 else copy
        for doc, piece in ((source, text), (target, written)):  # inside a paragraph, not on a line of its own
            k = rng.choice([k for k in range(len(docs[doc])) if (doc, k) not in used])
            used.add((doc, k))  # never cut into a passage planted before
            cut = rng.randint(0, len(docs[doc][k]))
            docs[doc][k] = docs[doc][k][:cut] + piece + docs[doc][k][cut:]
        planted.append({"source": f"doc{source:05d}", "target": f"doc{target:05d}", "text": written,
                        "edited": bool(n % 2), "traditional": n % 4 == 1})
    folder.mkdir(parents=True, exist_ok=True)
    for i, chosen in enumerate(docs):
        (folder / f"doc{i:05d}.txt").write_text("\n".join(chosen) + "\n", encoding="utf-8")
    truth.write_text(json.dumps(planted, ensure_ascii=False), encoding="utf-8")
    done.write_text(f"{n_docs} {SEED}")
    return planted


def recall(result, corpus, planted: list[dict]) -> dict:
    """How many planted passages one passage between their source and target covers (≥ 90%)."""
    from workbench.clean import normalize_width, to_simplified
    from workbench.reuse import comparison_text

    texts = dict(zip(corpus.documents["doc_id"], corpus.documents["text"]))
    passages = result.passages
    found = common = 0
    for p in planted:
        codes, positions = comparison_text(texts[p["target"]])  # cleaning may split a long line at a space
        piece = "".join(normalize_width(to_simplified(p["text"])).split())
        i = codes.tobytes().decode("utf-32-le").find(piece)
        if i < 0:
            raise RuntimeError(f"planted passage not in the clean text of {p['target']}: {piece}")
        start, end = int(positions[i]), int(positions[i + len(piece) - 1]) + 1
        rows = passages[passages["target_doc"] == p["target"]]
        pair = rows["source_doc"] == p["source"]
        if _covered(rows[pair], start, end) >= 0.9 * len(piece):
            found += 1
        elif _covered(rows[rows["common"]], start, end) >= 0.9 * len(piece):
            common += 1  # the held-out text also occurs in other reports: reported as common wording
    return {"planted": len(planted), "found": found, "found_as_common": common}


def _covered(rows, start: int, end: int) -> int:
    """Characters of ``[start, end)`` that the passages' target spans cover."""
    covered = set()
    for s, e in zip(rows["target_start"], rows["target_end"]):
        covered.update(range(max(s, start), min(e, end)))
    return len(covered)


def child(folder: Path, n_docs: int, reports: Path) -> dict:
    import workbench as wb
    from workbench.reuse import text_reuse

    planted = make_corpus(folder, n_docs, reports)
    corpus = wb.load_corpus(folder, progress=False)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu = time.perf_counter(), time.process_time()
    result = text_reuse(corpus)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    chars = int(corpus.documents["n_chars"].sum())
    return {"documents": len(corpus), "chars": chars, "pairs_possible": len(corpus) * (len(corpus) - 1),
            "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "peak_rss_mb": round(peak / 1024, 1),
            "rss_growth_mb": round((peak - before) / 1024, 1), "passages": len(result.passages),
            "common_passages": int(result.passages["common"].sum()), "pairs_with_reuse": len(result.pairs),
            **recall(result, corpus, planted)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="250,500,1000", help="corpus sizes (default: 250,500,1000)")
    parser.add_argument("--reports", type=Path, default=REPORTS, help="the national reports (JSON Lines)")
    parser.add_argument("--out", type=Path, help="also write the figures as JSON")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(RESULTS / f"reuse_{args.child}", args.child, args.reports)))
        return 0
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        make_corpus(RESULTS / f"reuse_{n}", n, args.reports)
        out = subprocess.run([sys.executable, __file__, "--child", str(n), "--reports", str(args.reports)],
                             capture_output=True, text=True)
        if out.returncode:
            raise SystemExit(f"the run with {n} documents failed:\n{out.stderr}")
        row = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(f"{row['documents']:>6} documents  {row['chars'] / 1e6:5.2f} M chars  {row['seconds']:6.2f} s (CPU {row['cpu_seconds']:.2f} s)  "
              f"peak {row['peak_rss_mb']:6.0f} MB (+{row['rss_growth_mb']:.0f} MB in text_reuse)  "
              f"{row['passages']} passages ({row['common_passages']} common), {row['pairs_with_reuse']} of "
              f"{row['pairs_possible']} pairs  planted found {row['found']}/{row['planted']}"
              f" (+{row['found_as_common']} as common wording)", flush=True)
    if args.out:
        args.out.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
