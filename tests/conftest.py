"""Shared fixtures: the seed corpus, a tiny hand-written corpus, a private cache directory."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))

# A small corpus of the kinds of text the seeds hold: full-width digits, 万/亿, %, a range,
# a masked number, a traditional sentence, a web footer.
TINY = {
    "a_plan.txt": "到２０２５年，全市地区生产总值突破5000亿元，年均增长6.5%左右。\n城镇化率达到65%以上。\n",
    "b_report.txt": "上半年实现一般公共预算收入12.3亿元，增长3%–5%。完成投资XX亿元。\n\n给领导留言\n",
    "c_trad.txt": "泗洪縣將強力實施「五大突破」，力爭地區生產總值增長8%以上。\n",
}


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    """Keep the tests' token and jieba caches out of the user's cache directory."""
    mp = pytest.MonkeyPatch()
    mp.setenv("WORKBENCH_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    yield
    mp.undo()


@pytest.fixture(scope="session")
def seed_corpus():
    import workbench as wb

    return wb.load_corpus()


@pytest.fixture
def tiny_dir(tmp_path) -> Path:
    folder = tmp_path / "tiny"
    folder.mkdir()
    for name, text in TINY.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def national_years_corpus(folder: Path, texts: dict[str, str]):
    """A corpus of small national reports named ``gwr<year>``, with a manifest giving year and region."""
    import workbench as wb

    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / "manifest.csv").write_text(
        "doc_id,year,region\n" + "".join(f"{n},{n[3:]},全国\n" for n in texts), encoding="utf-8")
    return wb.load_corpus(folder)


def spy_step(monkeypatch, module, step_name: str, calls: list, label=lambda item, **options: item) -> None:
    """Record ``label(item)`` for every document a step computes (cache hits are not computed)."""
    import dataclasses

    step = getattr(module, step_name)

    def spy(item, **options):
        calls.append(label(item, **options))
        return step.compute(item, **options)

    monkeypatch.setattr(module, step_name, dataclasses.replace(step, compute=spy))


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}
