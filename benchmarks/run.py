"""Benchmark: segmentation backends, the end-to-end pipeline at 1,000 and 10,000 documents, widgets.

    python benchmarks/run.py [--sizes 1000,10000] [--repeats 3] [--workers 2] [--out FILE.json]
    make bench

Every figure is measured in this run and, where it makes sense, given as a ratio to the
reference measured in the same run: plain jieba segmenting in one process. Times are
min / median over ``--repeats``. The synthetic corpora (seed paragraphs sampled with a fixed
seed, ≈10 KB per document) are written once under benchmarks/results/ and reused.
Each pipeline runs in a child process of its own, so its peak memory (max RSS, children
included) is its own; "cold" starts from an empty cache, "warm" reuses it. The child first
runs the pipeline once on the five seeds, uncached: that start-up (imports, dictionaries)
is paid once per process whatever the corpus, and is reported apart from the total.
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


def segmentation(corpus_dir: Path, repeats: int, workers: int) -> dict:
    import workbench as wb
    from workbench import segment

    corpus = wb.load_corpus(corpus_dir, progress=False)
    chars = int(corpus.sentences["text"].str.len().sum())
    texts = corpus.documents["text"].tolist()
    paths = segment._dict_paths(None)
    rows, ran = [], set()

    def add(name, engine, best, median):
        row = {"what": name, "engine": engine, "min_s": best, "median_s": median, "chars_per_s": chars / best}
        row["ratio_to_jieba"] = row["chars_per_s"] / rows[0]["chars_per_s"] if rows else 1.0
        rows.append(row)

    plain = segment._cutter("jieba", paths)  # the reference: plain jieba, one process, one call per document
    best, median, _ = timed(lambda: [plain(t, True) for t in texts], repeats)
    add("jieba.lcut, plain (reference)", "local", best, median)
    if segment._has_rjieba():
        fast = segment._cutter("rjieba", paths)
        best, median, _ = timed(lambda: [fast(t, True) for t in texts], repeats)
        add("rjieba.cut, plain", "local", best, median)
    for backend, engine in [("jieba", None), ("rjieba", None), ("jieba", "processes"), ("rjieba", "processes")]:
        if backend == "rjieba" and not segment._has_rjieba():
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
            agreement[f"hmm={hmm}"] = segment.backend_agreement(corpus, hmm=hmm).share
    return {"documents": len(corpus), "chars": chars, "rows": rows, "rjieba_agreement": agreement,
            "jieba_chars_per_s": reference}


# --- the pipeline, in a child process ----------------------------------------------------------


def pipeline_child(corpus_dir: str, engine: str | None, workers: int) -> dict:
    import workbench as wb

    # Start-up, once per process and not per document: imports (scikit-learn, cn2an…), the
    # segmenter's dictionary, compiled patterns. Run the pipeline once on the five seeds,
    # uncached, and report it apart, so that the stages below time the corpus itself.
    t = time.perf_counter()
    seeds = wb.load_corpus(cache=False, progress=False)
    wb.tfidf_keywords(seeds, tokens=wb.segment_corpus(seeds, cache=False, progress=False), idf_unit="paragraph", top=20)
    wb.extract_targets(seeds, cache=False, progress=False)
    startup = time.perf_counter() - t
    stages = {}
    start = time.perf_counter()
    with wb.engines.use(engine, workers=workers):  # with "processes": one pool for the four steps
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
    total = time.perf_counter() - start
    peak_kb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
               + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return {"stages": stages, "total_s": total, "startup_s": startup, "peak_rss_mb": peak_kb / 1024,
            "documents": len(corpus),
            "chars": int(corpus.documents["n_chars"].sum()), "keywords": len(keywords), "targets": len(records)}


def run_pipeline(corpus_dir: Path, cache: Path, engine: str | None, workers: int) -> dict:
    env = dict(os.environ, WORKBENCH_CACHE_DIR=str(cache))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(corpus_dir), "--engine", engine or "local",
           "--workers", str(workers)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"pipeline child failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


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


# --- report ----------------------------------------------------------------------------------------


def print_report(result: dict) -> None:
    seg = result["segmentation"]
    print(f"\nSegmentation: {seg['documents']} documents, {seg['chars']:,} characters "
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
    print("\nPipeline: load → clean → segment → TF-IDF → targets "
          "('× jieba' = plain jieba's time to segment the same text alone ÷ this pipeline's time)")
    print("(start-up: imports and dictionaries, once per process, timed on the seeds and not in the total)")
    print(f"{'documents':>9} {'engine':10} {'run':5} {'start-up':>8} {'load':>7} {'segment':>8} {'tfidf':>7} "
          f"{'targets':>8} {'total s':>8} {'× jieba':>8} {'peak MB':>8}")
    for r in result["pipeline"]:
        s = r["stages"]
        print(f"{r['documents']:9,} {r['engine']:10} {r['run']:5} {r['startup_s']:8.1f} {s['load_clean']:7.1f} "
              f"{s['segment']:8.1f} {s['tfidf']:7.1f} {s['targets']:8.1f} {r['total_s']:8.1f} "
              f"{r['ratio_to_jieba']:8.2f} {r['peak_rss_mb']:8.0f}")
    for line in result.get("linearity", []):
        print(line)
    if result.get("widgets"):
        print("\nWidgets on the seeds, update time in ms (built and run once first):")
        print(f"  {'':42} {'new setting: median':>20} {'max':>7} {'seen again: median':>19}")
        for r in result["widgets"]:
            print(f"  {r['widget']:42} {r['new_setting_median_ms']:20.1f} {r['new_setting_max_ms']:7.1f} "
                  f"{r['seen_setting_median_ms']:19.1f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes in documents (default: 1000,10000)")
    parser.add_argument("--repeats", type=int, default=3, help="repeats per measurement (default: 3)")
    parser.add_argument("--segmentation-repeats", type=int, default=7,
                        help="repeats of each throughput measurement: they take a fraction of a second, so "
                             "a moment's load on a shared machine weighs on them most (default: 7)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes for the pool engine")
    parser.add_argument("--engines", default="local,processes", help="pipeline engines (default: local,processes)")
    parser.add_argument("--segmentation-docs", type=int, default=200, help="documents in the throughput sample")
    parser.add_argument("--skip-widgets", action="store_true")
    parser.add_argument("--out", default=str(RESULTS / "latest.json"), help="where to write the JSON")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--engine", default="local", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(pipeline_child(args.child, None if args.engine == "local" else args.engine, args.workers)))
        return 0

    from synthetic import make_corpus

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]  # --sizes "" skips the pipeline
    result = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
              "settings": vars(args) | {"sizes": sizes}}
    sample = make_corpus(RESULTS / f"corpus-{args.segmentation_docs}", args.segmentation_docs)
    with tempfile.TemporaryDirectory() as cache:
        os.environ["WORKBENCH_CACHE_DIR"] = cache
        result["segmentation"] = segmentation(sample, args.segmentation_repeats, args.workers)
    jieba_rate = result["segmentation"]["jieba_chars_per_s"]
    result["pipeline"] = []
    for n in sizes:
        folder = make_corpus(RESULTS / f"corpus-{n}", n)
        for engine in args.engines.split(","):
            with tempfile.TemporaryDirectory() as cache:
                for run in ("cold", "warm"):
                    r = run_pipeline(folder, Path(cache), None if engine == "local" else engine, args.workers)
                    r.update(engine=engine, run=run, ratio_to_jieba=(r["chars"] / jieba_rate) / r["total_s"])
                    result["pipeline"].append(r)
                    print(f"  {n} documents, {engine}, {run}: {r['total_s']:.1f} s", file=sys.stderr)
    lines = []
    for engine in args.engines.split(","):
        cold = {r["documents"]: r["total_s"] for r in result["pipeline"] if r["engine"] == engine and r["run"] == "cold"}
        ns = sorted(cold)
        for a, b in zip(ns, ns[1:]):
            lines.append(f"linearity ({engine}, cold): {b:,} vs {a:,} documents took {cold[b] / cold[a]:.2f}× "
                         f"the time for {b / a:.0f}× the documents")
    result["linearity"] = lines
    if not args.skip_widgets:
        result["widgets"] = widgets(args.repeats)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print_report(result)
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
