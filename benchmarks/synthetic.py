"""Deterministic synthetic corpora made of the seeds' cleaned paragraphs (for benchmarks/run.py)."""
from __future__ import annotations

import random
from pathlib import Path

TARGET_CHARS = 3_400  # ≈10 KB of UTF-8 per document


def make_corpus(folder: Path, n_docs: int, *, seed: int = 20261122) -> Path:
    """Write ``n_docs`` .txt files of seed paragraphs sampled with a fixed seed; reuse the folder if complete."""
    import workbench as wb

    folder = Path(folder)
    done = folder / ".complete"
    if done.is_file() and done.read_text() == f"{n_docs} {seed}":
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    paragraphs = [p for p in wb.load_corpus().paragraphs["text"] if len(p) >= 20]
    for i in range(n_docs):
        rng = random.Random(seed * 1_000_003 + i)
        chosen, size = [], 0
        while size < TARGET_CHARS:
            text = rng.choice(paragraphs)
            chosen.append(text)
            size += len(text)
        (folder / f"doc{i:05d}.txt").write_text("\n".join(chosen) + "\n", encoding="utf-8")
    done.write_text(f"{n_docs} {seed}")
    return folder
