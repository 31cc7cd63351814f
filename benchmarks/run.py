"""Benchmark: segmentation throughput, the pipeline at two corpus sizes, hostile shapes, widgets.

    python benchmarks/run.py [--sizes 1000,10000] [--repeats 3] [--workers 2] [--out FILE.json]
    python benchmarks/run.py --sizes 200,1000     # quick: a few minutes, for development
    make bench

The corpora are raw, realistic text (benchmarks/synthetic.py): government web pages with their
furniture around paragraphs drawn at random from the shipped national government work reports,
numbers perturbed and place names swapped, some hard-wrapped, some in traditional characters,
≈12 KB per document; built with a fixed seed under benchmarks/results/ and reused. Their size
and share of unique lines are reported.

The baseline, measured in the same run on the same text: plain jieba (``jieba.Tokenizer().lcut``,
one process, the dictionary loaded before the clock) segmenting every file as read. Each
pipeline (load → clean → segment → TF-IDF → targets) runs in a child process of its own, in one
process ("local") and on a pool of ``--workers`` processes ("processes"): "cold" from an empty
cache, "warm" a second run reusing it. Peak memory is the child's ru_maxrss plus that of its
largest finished child (RUSAGE_CHILDREN: the largest worker, not the sum of the workers).
The child first runs the pipeline once on the five seeds, uncached: that start-up (imports,
dictionaries) is paid once per process whatever the corpus, and is reported apart from the total.
Linearity compares the cold totals (start-up excluded) of consecutive sizes. Goals (for 10,000
documents; times scaled in proportion for other sizes) are printed beside the figures.
Throughput times are min / median over repeats.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE))

GOAL_DOCS = 10_000
GOALS = {  # the issue's goals for 10,000 documents
    "cold_processes_s": 20.0,    # cold pipeline on the process pool
    "speedup_processes": 4.5,    # ... at least this many times faster than plain jieba alone
    "cold_local_s": 30.0,        # cold pipeline in one process
    "warm_s": 4.0,               # warm re-run
    "peak_mb": 1024.0,           # peak memory of any run
    "linearity": 0.10,           # 10× the documents within 10% of 10× the time
}


def timed(func, repeats: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(repeats):
        result = None  # free the previous repeat's result, and collect its garbage, before the clock starts
        gc.collect()
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


# --- segmentation throughput ---------------------------------------------------------------


def plain_jieba():
    """jieba as a user without workbench would run it: its own dictionary, loaded before any clock."""
    import logging

    import jieba

    from workbench.resources import cache_dir

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = str(cache_dir())
    tokenizer.initialize()
    return tokenizer


def has_rjieba() -> bool:
    import importlib.util

    return importlib.util.find_spec("rjieba") is not None


def segmentation(corpus_dir: Path, repeats: int, workers: int) -> dict:
    import workbench as wb

    corpus = wb.load_corpus(corpus_dir, progress=False)
    chars = int(corpus.sentences["text"].str.len().sum())
    texts = corpus.documents["text"].tolist()
    rows, ran = [], set()

    def add(name, engine, best, median):
        row = {"what": name, "engine": engine, "min_s": best, "median_s": median, "chars_per_s": chars / best}
        row["ratio_to_jieba"] = row["chars_per_s"] / rows[0]["chars_per_s"] if rows else 1.0
        rows.append(row)

    plain = plain_jieba()  # the reference: plain jieba, one process, one call per document
    best, median, _ = timed(lambda: [plain.lcut(t) for t in texts], repeats)
    add("jieba.lcut, plain (reference)", "local", best, median)
    if has_rjieba():
        import rjieba

        rjieba.cut("预热")  # rjieba loads its dictionary on first use
        best, median, _ = timed(lambda: [rjieba.cut(t, True) for t in texts], repeats)
        add("rjieba.cut, plain", "local", best, median)
    for backend, engine in [("jieba", None), ("rjieba", None), ("jieba", "processes"), ("rjieba", "processes")]:
        if backend == "rjieba" and not has_rjieba():
            rows.append({"what": f"segment_corpus {backend}", "engine": engine or "local",
                         "skipped": "rjieba not installed"})
            continue
        best, median, _ = timed(lambda: wb.segment_corpus(corpus, backend=backend, engine=engine, workers=workers,
                                                          cache=False, progress=False), repeats)
        ran.add((backend, engine))
        add(f"segment_corpus {backend}", engine or "local", best, median)
    reference = rows[0]["chars_per_s"]
    agreement = {}
    if ("rjieba", None) in ran:
        for hmm in (True, False):
            agreement[f"hmm={hmm}"] = wb.backend_agreement(corpus, hmm=hmm).share
    return {"documents": len(corpus), "chars": chars, "rows": rows, "rjieba_agreement": agreement,
            "jieba_chars_per_s": reference}


# --- the baseline: plain jieba on the same text, in a child process -----------------------------


def baseline_child(corpus_dir: str) -> dict:
    """Plain jieba, one process: every file's text as read, ``lcut`` with HMM (jieba's default)."""
    t = time.perf_counter()
    tokenizer = plain_jieba()
    startup = time.perf_counter() - t
    files = sorted(Path(corpus_dir).glob("*.txt"))
    start = time.perf_counter()
    chars = tokens = 0
    for file in files:
        text = file.read_text(encoding="utf-8")
        chars += len(text)
        tokens += len(tokenizer.lcut(text))  # counted, not kept: the lists would cost GBs at 10,000 documents
    total = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"total_s": total, "startup_s": startup, "documents": len(files), "chars": chars, "tokens": tokens,
            "chars_per_s": chars / total, "peak_rss_mb": peak_kb / 1024}


# --- the pipeline, in a child process ----------------------------------------------------------


def pipeline_child(corpus_dir: str, engine: str | None, workers: int) -> dict:
    import workbench as wb

    # Start-up, once per process and not per document: imports (scikit-learn, cn2an…), the
    # segmenter's dictionary, compiled patterns, and with "processes" the pool's workers and
    # their own imports and dictionaries. Run the pipeline once on the five seeds, uncached,
    # and report it apart, so that the stages below time the corpus itself.
    stages = {}
    with wb.engines.use(engine, workers=workers):  # with "processes": one pool for every step, started here
        t = time.perf_counter()
        seeds = wb.load_corpus(cache=False, progress=False)
        wb.tfidf_keywords(seeds, tokens=wb.segment_corpus(seeds, cache=False, progress=False), idf_unit="paragraph",
                          top=20)
        wb.extract_targets(seeds, cache=False, progress=False)
        startup = time.perf_counter() - t
        start = time.perf_counter()
        t = time.perf_counter()
        corpus = wb.load_corpus(corpus_dir, progress=False)
        stages["load_clean"] = time.perf_counter() - t
        t = time.perf_counter()
        tokens = wb.segment_corpus(corpus, progress=False)
        stages["segment"] = time.perf_counter() - t
        t = time.perf_counter()
        keywords = wb.tfidf_keywords(corpus, tokens=tokens, idf_unit="paragraph", top=20)
        stages["tfidf"] = time.perf_counter() - t
        t = time.perf_counter()
        records = wb.extract_targets(corpus, progress=False)
        stages["targets"] = time.perf_counter() - t
    # the total counts the pool's shutdown
    total = time.perf_counter() - start
    peak_kb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
               + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return {"stages": stages, "total_s": total, "startup_s": startup, "peak_rss_mb": peak_kb / 1024,
            "documents": len(corpus),
            "chars": int(corpus.documents["n_chars"].sum()), "keywords": len(keywords), "targets": len(records)}


def run_child(args: list[str], cache: Path) -> dict:
    env = dict(os.environ, WORKBENCH_CACHE_DIR=str(cache))
    cmd = [sys.executable, str(Path(__file__).resolve()), *args]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"child {args} failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_pipeline(corpus_dir: Path, cache: Path, engine: str | None, workers: int) -> dict:
    return run_child(["--child", str(corpus_dir), "--engine", engine or "local", "--workers", str(workers)], cache)


def run_baseline(corpus_dir: Path, cache: Path) -> dict:
    return run_child(["--baseline-child", str(corpus_dir)], cache)


# --- widgets on the seeds -------------------------------------------------------------------------


def widgets(repeats: int) -> list[dict]:
    import workbench as wb

    corpus = wb.load_corpus()
    records = wb.extract_targets(corpus)
    rows = []

    def measure(name, control, values):
        """Update time for settings not seen before (the widget already built), then for settings seen again."""
        fresh, again = [], []
        for round_ in range(repeats + 1):
            for v in values:
                start = time.perf_counter()
                control.value = v
                (fresh if round_ == 0 else again).append(time.perf_counter() - start)
        rows.append({"widget": name, "new_setting_median_ms": statistics.median(fresh[1:] or fresh) * 1e3,
                     "new_setting_max_ms": max(fresh[1:] or fresh) * 1e3,
                     "seen_setting_median_ms": statistics.median(again) * 1e3})

    box = wb.widgets.keyword_explorer(corpus)
    controls = box.children[0]
    group = controls.children[0].children[1]
    method, top = controls.children[1].children
    measure("keywords: top N", top, [20, 25, 15])
    measure("keywords: document", group, [g for _, g in group.options][:3])
    measure("keywords: method keyness/log-odds/tfidf", method, ["keyness", "log-odds", "tfidf"])
    box = wb.widgets.topic_explorer(corpus)
    method, k = box.children[0].children
    unit, seed, _by = box.children[1].children
    measure("topics (NMF): k", k, [9, 10, 8])
    measure("topics (NMF): seed", seed, [1, 2, 0])
    box = wb.widgets.compare_explorer(corpus)
    docs, representation = box.children[0].children
    measure("compare: documents", docs, [tuple(corpus.doc_ids[:3]), tuple(corpus.doc_ids[1:]), tuple(corpus.doc_ids)])
    measure("compare: representation", representation, ["topics", "tfidf"])
    box = wb.widgets.target_explorer(records, corpus)
    doc = box.children[0].children[0]
    measure("targets: document", doc, [doc.options[1], doc.options[2], doc.options[0]])
    box = wb.widgets.corpus_browser(corpus)
    para = box.children[0].children[1]
    measure("corpus browser: paragraph", para, [2, 3, 1])
    return rows


# --- goals ---------------------------------------------------------------------------------------


def check_goals(result: dict) -> list[dict]:
    """Each goal beside the figure measured for it; times scaled to the corpus size."""
    rows = []

    def add(what, figure, goal, ok, unit=""):
        rows.append({"what": what, "figure": figure, "goal": goal, "unit": unit, "met": bool(ok)})

    for r in result["pipeline"]:
        n, scale = r["documents"], r["documents"] / GOAL_DOCS
        scaled = "" if n == GOAL_DOCS else f" (scaled to {n:,})"
        where = f"{n:,} docs, {r['engine']}, {r['run']}"
        if r["run"] == "cold" and r["engine"] in ("processes", "local"):
            key = "cold_processes_s" if r["engine"] == "processes" else "cold_local_s"
            goal = GOALS[key] * scale
            add(f"{where}: total{scaled}", r["total_s"], f"< {goal:.3g}", r["total_s"] < goal, "s")
            if r["engine"] == "processes":
                add(f"{where}: × plain jieba", r["ratio_to_jieba"], f">= {GOALS['speedup_processes']}",
                    r["ratio_to_jieba"] >= GOALS["speedup_processes"], "×")
        if r["run"] == "warm":
            goal = GOALS["warm_s"] * scale
            add(f"{where}: total{scaled}", r["total_s"], f"< {goal:.3g}", r["total_s"] < goal, "s")
        add(f"{where}: peak memory", r["peak_rss_mb"], f"< {GOALS['peak_mb']:.0f}", r["peak_rss_mb"] < GOALS["peak_mb"],
            "MB")
    for line in result["linearity"]:
        add(f"linearity {line['engine']}: {line['to']:,} vs {line['from']:,} docs, time ratio ÷ size ratio",
            line["per_size"], f"<= {1 + GOALS['linearity']:.2f}", line["per_size"] <= 1 + GOALS["linearity"])
    return rows


# --- report ----------------------------------------------------------------------------------------


def print_report(result: dict) -> None:
    print("\nCorpora (benchmarks/synthetic.py): raw web pages built from the national reports")
    print(f"{'documents':>9} {'MB':>7} {'characters':>12} {'lines':>10} {'unique lines':>13} {'body lines':>11} "
          f"{'unique body lines':>18}")
    for c in result["corpora"]:
        print(f"{c['documents']:9,} {c['bytes'] / 1e6:7.1f} {c['chars']:12,} {c['lines']:10,} "
              f"{c['unique_share']:13.1%} "
              f"{c['body_lines']:11,} {c['unique_body_share']:18.1%}")
    seg = result.get("segmentation")
    if seg:
        print(f"\nSegmentation: {seg['documents']} documents, {seg['chars']:,} characters after cleaning "
              f"(reference: jieba, one process, {seg['jieba_chars_per_s']:,.0f} chars/s)")
        print(f"{'what':32} {'engine':10} {'min s':>8} {'median s':>9} {'chars/s':>12} {'× jieba':>8}")
        for r in seg["rows"]:
            if "skipped" in r:
                print(f"{r['what']:32} {r['engine']:10} skipped: {r['skipped']}")
                continue
            print(f"{r['what']:32} {r['engine']:10} {r['min_s']:8.2f} {r['median_s']:9.2f} {r['chars_per_s']:12,.0f} "
                  f"{r['ratio_to_jieba']:8.1f}")
        for setting, value in seg["rjieba_agreement"].items():
            print(f"rjieba token agreement with jieba ({setting}): {value:.5%}")
    print("\nBaseline: plain jieba, one process, segmenting the same files as read (dictionary loaded first)")
    print(f"{'documents':>9} {'characters':>12} {'total s':>8} {'chars/s':>10} {'peak MB':>8}")
    for b in result["baseline"]:
        print(f"{b['documents']:9,} {b['chars']:12,} {b['total_s']:8.1f} {b['chars_per_s']:10,.0f} "
              f"{b['peak_rss_mb']:8.0f}")
    print("\nPipeline: load → clean → segment → TF-IDF → targets "
          "('× jieba' = the baseline's time on the same files ÷ this pipeline's time)")
    print("(start-up: imports and dictionaries, once per process, timed on the seeds and not in the total;"
          " goal: for 10,000 documents, scaled to the size)")
    print(f"{'documents':>9} {'engine':10} {'run':5} {'start-up':>8} {'load':>7} {'segment':>8} {'tfidf':>7} "
          f"{'targets':>8} {'total s':>8} {'goal s':>7} {'× jieba':>8} {'peak MB':>8}")
    for r in result["pipeline"]:
        s = r["stages"]
        goal = _time_goal(r)
        print(f"{r['documents']:9,} {r['engine']:10} {r['run']:5} {r['startup_s']:8.1f} {s['load_clean']:7.1f} "
              f"{s['segment']:8.1f} {s['tfidf']:7.1f} {s['targets']:8.1f} {r['total_s']:8.1f} "
              f"{'< ' + format(goal, '.3g'):>7} {r['ratio_to_jieba']:8.2f} {r['peak_rss_mb']:8.0f}")
    for line in result["linearity"]:
        print(f"linearity ({line['engine']}, cold): {line['to']:,} vs {line['from']:,} documents took "
              f"{line['time_ratio']:.2f}× the time for {line['size_ratio']:.0f}× the documents "
              f"({line['per_size']:.2f} of linear; goal <= {1 + GOALS['linearity']:.2f})")
    if result.get("hostile"):
        import hostile

        hostile.print_rows(result["hostile"])
    if result.get("widgets"):
        print("\nWidgets on the seeds, update time in ms (built and run once first):")
        print(f"  {'':42} {'new setting: median':>20} {'max':>7} {'seen again: median':>19}")
        for r in result["widgets"]:
            print(f"  {r['widget']:42} {r['new_setting_median_ms']:20.1f} {r['new_setting_max_ms']:7.1f} "
                  f"{r['seen_setting_median_ms']:19.1f}")
    print("\nGoals (the issue's, for 10,000 documents; times scaled in proportion for other sizes):")
    for g in result["goals"]:
        figure = f"{g['figure']:.2f} {g['unit']}".strip()
        print(f"  {'met   ' if g['met'] else 'MISSED'} {g['what']:62} {figure:>12}  goal {g['goal']} {g['unit']}")


def _time_goal(r: dict) -> float | None:
    scale = r["documents"] / GOAL_DOCS
    if r["run"] == "warm":
        return GOALS["warm_s"] * scale
    return GOALS["cold_processes_s" if r["engine"] == "processes" else "cold_local_s"] * scale


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000",
                        help="corpus sizes in documents (default: 1000,10000; quick: 200,1000)")
    parser.add_argument("--repeats", type=int, default=3, help="repeats per widget measurement (default: 3)")
    parser.add_argument("--segmentation-repeats", type=int, default=7,
                        help="repeats of each throughput measurement: they take a fraction of a second, so "
                             "a moment's load on a shared machine weighs on them most (default: 7)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes for the pool engine")
    parser.add_argument("--engines", default="local,processes", help="pipeline engines (default: local,processes)")
    parser.add_argument("--segmentation-docs", type=int, default=200,
                        help="documents in the throughput sample (0 skips it; default: 200)")
    parser.add_argument("--hostile-scale", type=float, default=1.0,
                        help="size of the hostile shapes (benchmarks/hostile.py; default: 1)")
    parser.add_argument("--hostile-timeout", type=float, default=30.0,
                        help="seconds allowed per hostile measurement (default: 30)")
    parser.add_argument("--skip-hostile", action="store_true")
    parser.add_argument("--skip-widgets", action="store_true")
    parser.add_argument("--out", default=str(RESULTS / "latest.json"), help="where to write the JSON")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--baseline-child", help=argparse.SUPPRESS)
    parser.add_argument("--engine", default="local", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(pipeline_child(args.child, None if args.engine == "local" else args.engine, args.workers)))
        return 0
    if args.baseline_child:
        print(json.dumps(baseline_child(args.baseline_child)))
        return 0

    from synthetic import corpus_stats, make_corpus

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]  # --sizes "" skips the pipeline
    engines = [e for e in args.engines.split(",") if e]
    result = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
                          "load_average": os.getloadavg()},
              "settings": vars(args) | {"sizes": sizes}, "goals_for_10000": GOALS}
    folders = {n: make_corpus(RESULTS / f"corpus-{n}", n) for n in sorted(set(sizes))}
    result["corpora"] = [corpus_stats(folders[n]) for n in sorted(folders)]
    if args.segmentation_docs:
        sample = make_corpus(RESULTS / f"corpus-{args.segmentation_docs}", args.segmentation_docs)
        with tempfile.TemporaryDirectory() as cache:
            os.environ["WORKBENCH_CACHE_DIR"] = cache
            result["segmentation"] = segmentation(sample, args.segmentation_repeats, args.workers)
        say(f"  segmentation throughput on {args.segmentation_docs} documents: done")
    result["baseline"], result["pipeline"] = [], []
    for n in sizes:
        folder = folders[n]
        with tempfile.TemporaryDirectory() as cache:
            base = run_baseline(folder, Path(cache))
        result["baseline"].append(base)
        say(f"  {n} documents, plain jieba (baseline): {base['total_s']:.1f} s")
        for engine in engines:
            with tempfile.TemporaryDirectory() as cache:
                for run in ("cold", "warm"):
                    r = run_pipeline(folder, Path(cache), None if engine == "local" else engine, args.workers)
                    r.update(engine=engine, run=run, baseline_s=base["total_s"],
                             ratio_to_jieba=base["total_s"] / r["total_s"])
                    result["pipeline"].append(r)
                    say(f"  {n} documents, {engine}, {run}: {r['total_s']:.1f} s")
    result["linearity"] = []
    for engine in engines:
        cold = {r["documents"]: r["total_s"] for r in result["pipeline"]
                if r["engine"] == engine and r["run"] == "cold"}
        ns = sorted(cold)
        for a, b in zip(ns, ns[1:]):
            time_ratio, size_ratio = cold[b] / cold[a], b / a
            result["linearity"].append({"engine": engine, "from": a, "to": b, "time_ratio": time_ratio,
                                        "size_ratio": size_ratio, "per_size": time_ratio / size_ratio})
    if not args.skip_hostile:
        import hostile

        result["hostile"] = hostile.run(args.hostile_scale, args.hostile_timeout, log=say)
    if not args.skip_widgets:
        result["widgets"] = widgets(args.repeats)
    result["goals"] = check_goals(result)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print_report(result)
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
