"""Linear behaviour on hostile shapes, for benchmarks/run.py.

Times :func:`workbench.clean.clean_text` and :func:`workbench.extract_targets` on texts of
one shape at 1× and 4× their size; linear code takes about 4 times as long at 4×. Each
measurement runs in a child process of its own with a time limit, so that quadratic code
costs at most the limit (reported as ``> limit``; the limit counts the child's start-up, a
few seconds); a call that takes less than half a second is repeated (up to 100 calls, the
shortest kept). The shapes, at ``--hostile-scale 1``:

- ``hard-wrapped lines``: national-report text cut into lines of 30 characters, 12,500 lines
  (4×: 50,000; scale 4 gives the 200,000 lines of the issue);
- ``增长12.5%，×N``: one sentence of N = 500 clauses ``增长12.5%，`` (4,000 characters);
- ``35亿元×N``: N = 500 amounts in a row (2,500 characters);
- ``single line``: one line of national-report text, 250,000 characters (scaled down from
  the issue's 20 M; scale 20 gives 5 M at 1× and 20 M at 4×).

extract_targets needs a corpus: the text is written to a file and loaded (not timed) first.

    python benchmarks/hostile.py [--scale 1] [--timeout 60]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FUNCTIONS = ("clean_text", "extract_targets")
# shape -> (count at 1×, scale 1; what is counted)
SHAPES = {
    "hard-wrapped lines": (12_500, "lines"),
    "增长12.5%，×N": (500, "clauses"),
    "35亿元×N": (500, "amounts"),
    "single line": (250_000, "characters"),
}


def _report_text(n_chars: int) -> str:
    """``n_chars`` of national-report text on one line (the reports repeated when needed)."""
    path = HERE.parent / "workbench" / "data" / "national" / "reports.jsonl"
    with path.open(encoding="utf-8") as fh:
        text = "".join(re.sub(r"\s+", "", json.loads(line)["content"]) for line in fh)
    return (text * (n_chars // len(text) + 1))[:n_chars]


def make_text(shape: str, n: int) -> str:
    """The text of ``shape`` with ``n`` of its units."""
    if shape == "hard-wrapped lines":
        flat = _report_text(30 * n)
        return "\n".join(flat[i:i + 30] for i in range(0, len(flat), 30)) + "\n"
    if shape == "增长12.5%，×N":
        return "国内生产总值" + "增长12.5%，" * n + "。\n"
    if shape == "35亿元×N":
        return "投资" + "35亿元" * n + "。\n"
    if shape == "single line":
        return _report_text(n) + "\n"
    raise ValueError(f"shape must be one of {', '.join(SHAPES)}, not {shape!r}")


def child(shape: str, n: int, function: str) -> dict:
    """Build the text and time one function on it (in this process)."""
    text = make_text(shape, n)
    if function == "clean_text":
        from workbench.clean import clean_text

        clean_text("预热：到2025年，增长5%。")  # load the patterns and OpenCC before the clock
        return {"seconds": _best(lambda: clean_text(text)), "chars": len(text)}
    if function == "extract_targets":
        import workbench as wb

        with tempfile.TemporaryDirectory() as tmp:
            file = Path(tmp) / "hostile.txt"
            file.write_text(text, encoding="utf-8")
            wb.extract_targets(wb.load_corpus(cache=False, progress=False), cache=False, progress=False)  # warm up
            corpus = wb.load_corpus(file, cache=False, progress=False)
            found = []
            seconds = _best(lambda: found.append(len(wb.extract_targets(corpus, cache=False, progress=False))))
            return {"seconds": seconds, "chars": len(text), "records": found[-1]}
    raise ValueError(f"function must be one of {', '.join(FUNCTIONS)}, not {function!r}")


def _best(func, *, enough: float = 0.5, runs: int = 100) -> float:
    """The shortest of up to ``runs`` calls, stopping once they add up to ``enough`` seconds."""
    times = []
    while len(times) < runs and sum(times) < enough:
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(shape: str, n: int, function: str, timeout: float) -> dict:
    """Time ``function`` on ``shape`` × ``n`` in a child process; ``timed_out`` past ``timeout`` seconds."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", shape, str(n), function]
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, WORKBENCH_CACHE_DIR=cache)
        try:
            done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            return {"seconds": None, "timed_out": True, "chars": len(make_text(shape, n))}
    if done.returncode != 0:
        raise RuntimeError(f"hostile child failed ({shape}, {n}, {function}): {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1]) | {"timed_out": False}


def run(scale: float = 1.0, timeout: float = 30.0, log=None) -> list[dict]:
    """Every shape and function at 1× and 4×: seconds, characters per second, the 4×/1× ratio."""
    rows = []
    for shape, (base, unit) in SHAPES.items():
        n = max(1, round(base * scale))
        for function in FUNCTIONS:
            one = measure(shape, n, function, timeout)
            four = measure(shape, 4 * n, function, timeout) if not one["timed_out"] else \
                {"seconds": None, "timed_out": True, "skipped": True, "chars": None}
            row = {"shape": shape, "function": function, "n": n, "unit": unit, "timeout_s": timeout}
            for tag, r in (("1x", one), ("4x", four)):
                row[f"chars_{tag}"] = r["chars"]
                row[f"seconds_{tag}"] = r["seconds"]
                row[f"timed_out_{tag}"] = r["timed_out"]
                row[f"chars_per_s_{tag}"] = r["chars"] / r["seconds"] if r["seconds"] else None
            if one["seconds"] and four["seconds"]:
                row["ratio"], row["ratio_bound"] = four["seconds"] / one["seconds"], "="
            elif one["seconds"] and four["timed_out"]:
                row["ratio"], row["ratio_bound"] = timeout / one["seconds"], ">"
            else:
                row["ratio"], row["ratio_bound"] = None, None
            rows.append(row)
            if log:
                log(f"  hostile: {shape} ({n:,} {unit}), {function}: 1× {_secs(row, '1x')}, 4× {_secs(row, '4x')}")
    return rows


def _secs(row: dict, tag: str) -> str:
    seconds = row[f"seconds_{tag}"]
    if seconds is not None:
        return f"{seconds * 1e3:.1f} ms" if seconds < 0.1 else f"{seconds:.2f} s"
    if row[f"chars_{tag}"] is None:
        return "not run"
    return f"> {row['timeout_s']:.0f} s"


def print_rows(rows: list[dict]) -> None:
    print("\nHostile shapes: time at 1× and 4× the size (linear ≈ 4; '>' = stopped at the time limit)")
    print(f"  {'shape':20} {'size 1×':>18} {'function':16} {'1×':>9} {'1× chars/s':>12} {'4×':>9} "
          f"{'4× chars/s':>12} {'4×/1×':>7}")
    for r in rows:
        size = f"{r['n']:,} {r['unit']}"
        cps1 = f"{r['chars_per_s_1x']:,.0f}" if r["chars_per_s_1x"] else "-"
        cps4 = f"{r['chars_per_s_4x']:,.0f}" if r["chars_per_s_4x"] else "-"
        ratio = "-" if r["ratio"] is None else f"{'>' if r['ratio_bound'] == '>' else ''}{r['ratio']:.1f}"
        print(f"  {r['shape']:20} {size:>18} {r['function']:16} {_secs(r, '1x'):>9} {cps1:>12} "
              f"{_secs(r, '4x'):>9} {cps4:>12} {ratio:>7}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every shape's size (default: 1)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds allowed per measurement (default: 30)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        shape, n, function = args.child
        print(json.dumps(child(shape, int(n), function)))
        return 0
    print_rows(run(args.scale, args.timeout, log=lambda s: print(s, file=sys.stderr)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
