"""Memory breakdown of the pipeline: resident memory after each stage and the peak, cold and warm.

    python benchmarks/memory.py benchmarks/results/corpus-1000 [--engine local|processes] [--workers 2]
    python benchmarks/memory.py one-big-file.txt --stages load

Each run is a fresh child process (so its ``ru_maxrss`` is its own): first "cold" with an empty
cache folder of its own, then "warm" re-using that folder. The child imports workbench and runs
the pipeline once on the five seeds, uncached (start-up: imports, dictionaries, the pool), then
the stages on the corpus. After each stage it reports the resident set now (``/proc/self/statm``)
and the peak so far (``ru_maxrss`` of the process plus that of its largest finished child, as
``benchmarks/run.py`` counts it), in MB, and the stage's CPU and wall time.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STAGES = ("load", "segment", "tfidf", "targets")


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024


def child(corpus: str, engine: str | None, workers: int, stages: list[str]) -> dict:
    import gc

    import workbench as wb

    rows = []

    def mark(stage, cpu, wall):
        gc.collect()
        rows.append({"stage": stage, "rss_mb": round(_rss_mb(), 1), "peak_mb": round(_peak_mb(), 1),
                     "cpu_s": round(time.process_time() - cpu, 2), "wall_s": round(time.perf_counter() - wall, 2)})

    with wb.engines.use(engine, workers=workers):
        cpu, wall = time.process_time(), time.perf_counter()
        seeds = wb.load_corpus(cache=False, progress=False)
        if "segment" in stages:
            wb.tfidf_keywords(seeds, tokens=wb.segment_corpus(seeds, cache=False, progress=False),
                              idf_unit="paragraph", top=20)
        if "targets" in stages:
            wb.extract_targets(seeds, cache=False, progress=False)
        del seeds
        mark("start-up", cpu, wall)
        cpu, wall = time.process_time(), time.perf_counter()
        loaded = wb.load_corpus(corpus, progress=False)
        mark("load", cpu, wall)
        tokens = None
        if "segment" in stages:
            cpu, wall = time.process_time(), time.perf_counter()
            tokens = wb.segment_corpus(loaded, progress=False)
            mark("segment", cpu, wall)
        if "tfidf" in stages and tokens is not None:
            cpu, wall = time.process_time(), time.perf_counter()
            wb.tfidf_keywords(loaded, tokens=tokens, idf_unit="paragraph", top=20)
            mark("tfidf", cpu, wall)
        if "targets" in stages:
            cpu, wall = time.process_time(), time.perf_counter()
            wb.extract_targets(loaded, progress=False)
            mark("targets", cpu, wall)
    return {"rows": rows, "peak_mb": round(_peak_mb(), 1)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--engine", default="local", choices=("local", "processes"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--stages", default=",".join(STAGES), help="comma-separated, of: " + ", ".join(STAGES))
    parser.add_argument("--runs", default="cold,warm")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    stages = args.stages.split(",")
    if args.child:
        print(json.dumps(child(args.corpus, None if args.engine == "local" else args.engine, args.workers, stages)))
        return 0
    with tempfile.TemporaryDirectory(prefix="workbench-memory-") as cache:
        env = dict(os.environ, WORKBENCH_CACHE_DIR=cache)
        for run in args.runs.split(","):
            cmd = [sys.executable, str(Path(__file__).resolve()), args.corpus, "--engine", args.engine,
                   "--workers", str(args.workers), "--stages", args.stages, "--child"]
            done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
            if done.returncode:
                print(done.stderr[-3000:], file=sys.stderr)
                return 1
            result = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"{run} ({args.engine}): peak {result['peak_mb']:.0f} MB")
            for row in result["rows"]:
                print(f"  {row['stage']:<9} rss {row['rss_mb']:7.0f} MB  peak {row['peak_mb']:7.0f} MB  "
                      f"cpu {row['cpu_s']:6.2f} s  wall {row['wall_s']:6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
