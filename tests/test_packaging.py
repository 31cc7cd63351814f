"""Set-up stays honest: dependencies agree, the wheel carries the corpus, notebooks have no outputs."""
import json
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT, SEEDS


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    named = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            named |= {_name(r) for r in dep.get("pip", [])}
        else:
            named.add(_name(dep))
    named -= {"python", "pip"}
    assert named == wanted


def test_manifest_covers_every_seed():
    import csv

    with (SEEDS / "manifest.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted(r["doc_id"] for r in rows) == sorted(p.stem for p in SEEDS.glob("*.txt"))
    for r in rows:
        assert all(r[k] for k in ("title", "province", "admin_level", "date", "year", "doc_type", "script"))
        # a region is given where the document names a real one (002's is masked: XX市), with its code
        assert bool(r["region"]) == bool(r["region_code"]) and (r["region"] or r["doc_id"] == "002_049a35ec4ac63eb7")


def test_notebooks_committed_without_outputs():
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] == "code":
                assert not cell.get("outputs") and cell.get("execution_count") is None, nb.name


def test_national_dataset_is_the_52_reports_sorted_by_year():
    from workbench.resources import dataset_path

    path = dataset_path("national")
    assert path == ROOT / "workbench" / "data" / "national" / "reports.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 52 and all(list(r) == ["title", "url", "content", "year"] for r in rows)
    years = [int(r["year"]) for r in rows]
    assert years == sorted(set(years)) and (years[0], years[-1]) == (1954, 2025)
    assert all("政府工作报告" in r["title"] and "决议" not in r["title"] for r in rows)


@pytest.mark.parametrize("name", ["seeds", "National", "../national", ""])
def test_dataset_path_names_the_datasets_for_an_unknown_name(name):
    from workbench.resources import dataset_path

    with pytest.raises(ValueError, match="unknown dataset .*'national'"):
        dataset_path(name)


@pytest.mark.slow
def test_wheel_ships_corpus_byte_for_byte(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    wheel = next(tmp_path.glob("workbench-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        for seed in sorted(SEEDS.iterdir()):
            assert zf.read(f"workbench/seeds/{seed.name}") == seed.read_bytes()
        for data in ("userdict.txt", "stopwords_policy.txt", "boilerplate.txt", "fonts/OFL.txt",
                     "fonts/NotoSansCJKsc-Regular-subset.otf"):
            assert f"workbench/data/{data}" in names
        assert "workbench/notebooks/01_corpus.ipynb" in names
        national = ROOT / "workbench" / "data" / "national"
        for name in ("reports.jsonl", "README.md"):
            assert zf.read(f"workbench/data/national/{name}") == (national / name).read_bytes()
    # The installed layout loads the same corpus as the checkout.
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    code = ("import sys, json; sys.path.insert(0, sys.argv[1]); import workbench as wb; "
            "from workbench.resources import bundled_corpus_dir, dataset_path; c = wb.load_corpus(); "
            "print(json.dumps([str(bundled_corpus_dir()), str(dataset_path('national')), "
            "c.documents['text'].tolist()]))")
    out = subprocess.run([sys.executable, "-c", code, str(site)], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    where, national, texts = json.loads(out.stdout)
    assert Path(where).is_relative_to(site) and Path(national).is_relative_to(site)
    import workbench as wb

    assert texts == wb.load_corpus().documents["text"].tolist()


@pytest.mark.slow
def test_benchmark_script_runs(tmp_path):
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes", "6,12", "--repeats", "1",
         "--segmentation-repeats", "1", "--segmentation-docs", "6", "--engines", "local", "--skip-widgets", "--skip-hostile", "--out", str(out)],
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [r["documents"] for r in data["pipeline"]] == [6, 6, 12, 12]
    assert [b["documents"] for b in data["baseline"]] == [6, 12] and data["baseline"][0]["total_s"] > 0
    assert [c["documents"] for c in data["corpora"]] == [6, 12] and 0 < data["corpora"][1]["unique_share"] <= 1
    assert data["segmentation"]["rows"][0]["ratio_to_jieba"] == 1.0
    assert "Pipeline" in result.stdout and "× jieba" in result.stdout
