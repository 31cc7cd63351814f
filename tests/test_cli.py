import json
import subprocess
import sys

import pytest

from workbench.cli import main

from .conftest import SEED_IDS


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_corpus_json_lists_seeds(capsys):
    code, out, _ = run(capsys, "corpus", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [r["doc_id"] for r in rows] == SEED_IDS
    for r in rows:
        assert r["province"] and r["year"] and r["doc_type"]
        assert r["region"] or r["doc_id"] == "002_049a35ec4ac63eb7"  # 002's region is masked: XX市
        assert set(r) >= {"doc_id", "title", "region", "province", "admin_level", "date", "year", "doc_type",
                          "source", "script", "n_chars", "n_paragraphs", "n_sentences", "n_tokens"}
    by_id = {r["doc_id"]: r for r in rows}
    assert by_id["001_534d44b1b875ba47"]["script"] == "traditional"
    assert all(r["script"] == "simplified" for k, r in by_id.items() if k != "001_534d44b1b875ba47")


def test_corpus_table_and_csv(capsys):
    code, out, _ = run(capsys, "corpus")
    assert code == 0 and "徐州市" in out and len(out.splitlines()) == 6
    code, out, _ = run(capsys, "corpus", "--format", "csv")
    assert out.splitlines()[0].startswith("doc_id,title,region")


def test_corpus_show_clean_and_original(capsys):
    _, clean, _ = run(capsys, "corpus", "--doc", "004_0471c23c1b65a733")
    _, original, _ = run(capsys, "corpus", "--doc", "004_0471c23c1b65a733", "--show", "original")
    assert "热点文章推荐" in original and "热点文章推荐" not in clean
    assert "搜索" not in clean.splitlines()[0]


def test_corpus_user_folder(capsys, tiny_dir):
    code, out, _ = run(capsys, "corpus", str(tiny_dir), "--format", "json")
    assert code == 0 and [r["doc_id"] for r in json.loads(out)] == ["a_plan", "b_report", "c_trad"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["corpus", "/no/such/folder"], "no such file or folder"),
        (["corpus", "--doc", "nope"], "no document 'nope'"),
    ],
)
def test_errors_exit_non_zero(capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2 and message in err and err.startswith("workbench: error:")


def test_bad_file_in_folder(capsys, tiny_dir):
    (tiny_dir / "broken.txt").write_bytes(b"\x00\x01\x02\x03" * 50)
    code, _, err = run(capsys, "corpus", str(tiny_dir))
    assert code == 2 and "broken.txt" in err and "binary" in err
    with pytest.warns(UserWarning, match="broken.txt"):
        code, out, _ = run(capsys, "corpus", str(tiny_dir), "--skip-bad", "--format", "json")
    assert code == 0 and len(json.loads(out)) == 3


@pytest.mark.parametrize("command", [[], ["corpus"], ["lab"]])
def test_help_everywhere(command):
    result = subprocess.run([sys.executable, "-m", "workbench.cli", *command, "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "usage: workbench" in result.stdout


def test_console_script_installed():
    import shutil
    from pathlib import Path

    script = Path(sys.executable).parent / "workbench"
    assert script.exists() or shutil.which("workbench")


def test_keywords_json(capsys):
    assert main(["keywords", "--doc", "003_75a5bbd56f8ce010", "--top", "5", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["rank"] for r in rows] == [1, 2, 3, 4, 5] and rows[0]["term"] == "徐州"
    assert {"tf", "df", "idf", "tfidf", "score"} <= set(rows[0])


def test_keywords_keyness_by_region(capsys):
    assert main(["keywords", "--method", "keyness", "--by", "region", "--top", "1", "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    # four regions: the document without a region is left out
    assert out[0].startswith("region,reference,term,count") and len(out) == 1 + 4


def test_keywords_bad_group(capsys):
    assert main(["keywords", "--by", "region", "--group", "北京市"]) == 2
    assert "no region '北京市'" in capsys.readouterr().err


def test_kwic_command(capsys, tiny_dir):
    assert main(["kwic", "生产总值", str(tiny_dir), "--window", "4", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["doc_id"] for r in rows} == {"a_plan", "c_trad"}
    assert all(len(r["left"]) <= 4 for r in rows)


def test_wordcloud_command(capsys, tmp_path):
    out = tmp_path / "cloud.png"
    assert main(["wordcloud", "--doc", "003_75a5bbd56f8ce010", "--out", str(out), "--width", "300", "--height", "200"]) == 0
    assert out.read_bytes()[:4] == b"\x89PNG"
    assert "words, font" in capsys.readouterr().err
    assert main(["wordcloud", "--doc", "003_75a5bbd56f8ce010", "--out", str(out)]) == 2
    assert "exists" in capsys.readouterr().err
    assert main(["wordcloud", "--out", str(tmp_path / "x.png")]) == 2
    assert "--doc" in capsys.readouterr().err


def test_topics_command(capsys, tmp_path):
    assert main(["topics", "--k", "5", "--format", "json", "--out", str(tmp_path / "t")]) == 0
    captured = capsys.readouterr()
    rows = json.loads(captured.out)
    assert [r["topic"] for r in rows] == list(range(5)) and {"label", "terms", "share", "npmi", "umass"} <= set(rows[0])
    assert "nmf k=5 unit=paragraph seed=0" in captured.err
    assert json.loads((tmp_path / "t" / "settings.json").read_text(encoding="utf-8"))["k"] == 5
    assert main(["topics", "--k", "5", "--out", str(tmp_path / "t")]) == 2  # no overwrite without --force
    assert "exists" in capsys.readouterr().err


def test_topics_sweep_and_shares(capsys):
    assert main(["topics", "--sweep", "3:4", "--method", "lda", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "k,npmi,umass,perplexity" and len(lines) == 3
    assert main(["topics", "--k", "4", "--show", "shares", "--by", "region", "--format", "csv"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1 + 4  # 4 regions; the document without one is left out
    assert main(["topics", "--sweep", "9:3"]) == 2
    assert "LO:HI" in capsys.readouterr().err


def test_similarity_and_themes_commands(capsys, tmp_path):
    assert main(["similarity", "--by", "region", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    xuzhou = [r for r in rows if r["region"] == "徐州市"]
    assert len(rows) == 4 and xuzhou[0]["徐州市"] == pytest.approx(1.0)  # no region: left out
    assert main(["similarity", "--pairs", "--format", "csv"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1 + 10
    mine = tmp_path / "mine.csv"
    mine.write_text("theme,term\nopening,自贸区\nopening,保税区\n", encoding="utf-8")
    assert main(["themes", "--themes", str(mine), "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "doc_id,theme,label,count,tokens,share" and len(out) == 1 + 5 * 12
    assert main(["themes", "--matches", "--theme", "ecology", "--format", "json"]) == 0
    assert {r["theme"] for r in json.loads(capsys.readouterr().out)} == {"ecology"}
    bad = tmp_path / "bad.csv"
    bad.write_text("theme,term\nopening,生态\n", encoding="utf-8")
    assert main(["themes", "--themes", str(bad)]) == 2
    assert "生态" in capsys.readouterr().err


def test_engine_and_segmenter_options(capsys, tiny_dir, monkeypatch, tmp_path):
    """--engine processes gives what one process gives; --segmenter is used and then forgotten."""
    monkeypatch.delenv("WORKBENCH_SEGMENTER", raising=False)
    argv = ["keywords", str(tiny_dir), "--format", "csv", "--segmenter", "jieba"]
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path / "local"))  # empty caches: every step runs
    code, local, _ = run(capsys, *argv)
    assert code == 0 and "地区生产总值" in local
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path / "pool"))
    code, pooled, _ = run(capsys, *argv, "--engine", "processes", "--workers", "2")
    assert code == 0 and pooled == local
    assert "WORKBENCH_SEGMENTER" not in __import__("os").environ
    code, _, err = run(capsys, "targets", "--scheduler", "tcp://127.0.0.1:1")
    assert code == 2 and "--scheduler needs --engine dask" in err
    code, _, err = run(capsys, "targets", "--engine", "processes", "--workers", "0")
    assert code == 2 and "--workers must be at least 1" in err


@pytest.mark.slow
def test_dask_scheduler_option(capsys, tiny_dir, monkeypatch, tmp_path):
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path / "local"))  # empty caches: every step runs
    code, local, _ = run(capsys, "targets", str(tiny_dir), "--format", "csv")
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path / "dask"))
    from workbench import engines

    on_cluster, real = [], engines._map_dask
    monkeypatch.setattr(engines, "_map_dask", lambda func, items, engine, workers: on_cluster.append(
        type(engine).__name__) or real(func, items, engine, workers))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        code, remote, _ = run(capsys, "targets", str(tiny_dir), "--format", "csv", "--engine", "dask",
                              "--scheduler", cluster.scheduler_address)
    assert code == 0 and remote == local and "5000" in local
    assert on_cluster == ["Client", "Client"]  # loading and target extraction
