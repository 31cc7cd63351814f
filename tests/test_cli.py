import errno
import json
import os
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
    with pytest.raises(SystemExit) as info:
        main(["topics", "--sweep", "9:3"])
    assert info.value.code == 2 and "workbench: error: argument --sweep: LO:HI needs" in capsys.readouterr().err


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
    with pytest.raises(SystemExit) as info:
        main(["targets", "--engine", "processes", "--workers", "0"])
    assert info.value.code == 2
    assert "workbench: error: argument --workers: must be a whole number of at least 1, not '0'" in capsys.readouterr().err


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


# --- options are checked on entry -----------------------------------------------------------

@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["keywords", "--top", "-3"], "argument --top: must be a whole number of at least 1, not '-3'"),
        (["keywords", "--top", "many"], "argument --top: must be a whole number of at least 1, not 'many'"),
        (["kwic", "发展", "--window", "0"], "argument --window: must be a whole number of at least 1"),
        (["wordcloud", "--out", "c.png", "--width", "5"], "argument --width: must be a whole number from 50 to 10000"),
        (["topics", "--k", "1"], "argument --k: must be a whole number of at least 2, not '1'"),
        (["topics", "--min-df", "0"], "argument --min-df: must be a whole number of at least 1"),
        (["topics", "--max-df", "1.5"], "argument --max-df: must be a share greater than 0 and at most 1"),
        (["topics", "--seed", "-1"], "argument --seed: must be a whole number from 0 to 4294967295"),
        (["topics", "--sweep", "4-16"], "argument --sweep: takes LO:HI (e.g. 4:16), not '4-16'"),
        (["topics", "--top", "0"], "argument --top: must be a whole number of at least 1"),
        (["corpus", "--workers", "-2"], "argument --workers: must be a whole number of at least 1"),
        (["corpus", "--dataset", "provincial"], "argument --dataset: invalid choice: 'provincial'"),
        (["lab", "--port", "70000"], "argument --port: must be a whole number from 1 to 65535"),
    ],
)
def test_bad_option_values(capsys, argv, message):
    with pytest.raises(SystemExit) as info:
        main(argv)
    err = capsys.readouterr().err
    assert info.value.code == 2 and err.splitlines()[0].startswith("usage: workbench ")
    assert err.splitlines()[-1].startswith(f"workbench: error: {message}")


# --- the corpus options every command shares -------------------------------------------------

REPORT_TEXT = "到2025年，全市地区生产总值达到1000亿元，城镇化率达到65%。"


def _table(folder, name="reports.csv", text=None):
    path = folder / name
    path.write_text(text or ("doc_id,title,content,full_text\n"
                             f"gd2024,广东省政府工作报告,摘要,{REPORT_TEXT}\n"
                             f"zj2024,浙江省政府工作报告,摘要,{REPORT_TEXT.replace('65%', '70%')}\n"), encoding="utf-8")
    return path


def test_dataset_national(capsys):
    code, out, _ = run(capsys, "corpus", "--dataset", "national", "--format", "csv")
    rows = out.splitlines()
    assert code == 0 and len(rows) == 1 + 52 and rows[1].startswith("gwr1954,")
    code, out, _ = run(capsys, "corpus", "--dataset", "seeds", "--dataset", "national", "--format", "json")
    assert code == 0 and len(json.loads(out)) == 5 + 52


def test_targets_of_a_table_with_text_and_id_columns(capsys, tmp_path):
    table = _table(tmp_path)
    code, _, err = run(capsys, "targets", str(table))
    assert code == 2 and "more than one text column (content, full_text)" in err and "--text-column" in err
    code, out, _ = run(capsys, "targets", str(table), "--text-column", "full_text", "--format", "csv")
    lines = out.splitlines()
    assert code == 0 and {line.split(",")[0] for line in lines[1:]} == {"gd2024", "zj2024"}
    assert any(",70.0," in line or ",70," in line for line in lines)
    code, out, _ = run(capsys, "corpus", str(table), "--text-column", "full_text", "--id-column", "title", "--format", "json")
    assert code == 0 and [r["doc_id"] for r in json.loads(out)] == ["广东省政府工作报告", "浙江省政府工作报告"]
    code, _, err = run(capsys, "corpus", str(table), "--text-column", "正文")
    assert code == 2 and "no text column '正文'; the columns are: doc_id, title, content, full_text" in err


@pytest.mark.parametrize("option", [["--manifest", "manifest.csv"], ["--text-column", "full_text"], ["--id-column", "doc_id"]])
def test_table_and_manifest_options_need_a_path(capsys, option):
    code, _, err = run(capsys, "corpus", *option)
    assert code == 2 and err == f"workbench: error: {option[0]} applies to your files: give the PATH of them\n"


def test_path_help_lists_the_formats():
    result = subprocess.run([sys.executable, "-m", "workbench.cli", "keywords", "--help"], capture_output=True, text=True)
    help_text = " ".join(result.stdout.split())
    for suffix in (".txt", ".md", ".docx", ".pdf", ".html", ".csv", ".tsv", ".jsonl", ".parquet", ".xlsx"):
        assert suffix in help_text
    assert "--dataset {seeds,national}" in help_text and "--text-column COLUMN" in help_text


# --- malformed CSV: quotes that swallow rows -------------------------------------------------

@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('province,year,title,full_text\n广东,2024,"广东报告,正文一\n浙江,2024,浙江报告,正文二\n江苏,2024,"江苏报告",正文三\n',
         "row 2 (line 2): the 'title' cell holds a line break"),
        (f'province,year,title,full_text\n广东,2024,广东报告,{REPORT_TEXT}\n'
         f'浙江,2024,浙江报告,"{REPORT_TEXT}\n江苏,2024,江苏报告,{REPORT_TEXT}\n安徽,2024,安徽报告,{REPORT_TEXT}"\n',
         "row 3 (line 3): the 'full_text' cell holds a line that reads as a row of its own"),
        (f'province,year,title,full_text\n广东,2024,广东报告,"{REPORT_TEXT}\n{REPORT_TEXT}"\n浙江,2024,"浙江报告,{REPORT_TEXT}\n',
         "row 3 (line 4): a quote opens a cell and is never closed"),
    ],
)
def test_table_whose_quote_swallows_rows(capsys, tmp_path, text, problem):
    table = _table(tmp_path, "provinces.csv", text)
    code, _, err = run(capsys, "corpus", str(table))
    assert code == 2 and err.startswith(f"workbench: error: {table}: malformed CSV: ") and problem in err


def test_table_with_multiline_texts_is_fine(capsys, tmp_path):
    text = ('province,year,title,full_text\n'
            '广东,2024,广东报告,"一、2023年工作回顾\n地区生产总值增长4.8%，达到13,567,890万元。\n'
            'GDP, investment, and trade grew.\n二、2024年工作安排"\n浙江,2024,浙江报告,正文\n')
    code, out, _ = run(capsys, "corpus", str(_table(tmp_path, "provinces.csv", text)), "--format", "json")
    assert code == 0 and [r["doc_id"] for r in json.loads(out)] == ["provinces-2", "provinces-3"]


# --- the user's environment: one line, exit 2, nothing half-written --------------------------

def _one_line_error(err: str, path) -> None:
    assert err.startswith(f"workbench: error: {path}: ") and err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize("kind", ["missing", "folder", "fifo", "device"])
def test_manifest_that_is_not_a_file(capsys, tiny_dir, kind):
    manifest = {"missing": tiny_dir / "none.csv", "folder": tiny_dir, "fifo": tiny_dir / "m.csv", "device": "/dev/null"}[kind]
    if kind == "fifo":
        os.mkfifo(manifest)
    code, _, err = run(capsys, "corpus", str(tiny_dir / "a_plan.txt"), "--manifest", str(manifest))
    assert code == 2
    _one_line_error(err, manifest)


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_lexicon_that_is_not_a_file(capsys, tiny_dir, kind):
    lexicon = tiny_dir / "none.csv" if kind == "missing" else tiny_dir
    code, _, err = run(capsys, "targets", str(tiny_dir), "--lexicon", str(lexicon))
    assert code == 2
    _one_line_error(err, lexicon)


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_path_that_is_a_fifo_or_device(capsys, tmp_path, kind):
    path = tmp_path / "plan.txt" if kind == "fifo" else "/dev/zero"
    if kind == "fifo":
        os.mkfifo(path)
    code, _, err = run(capsys, "corpus", str(path))
    assert code == 2 and "not a regular file" in err
    _one_line_error(err, path)


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_out_that_is_not_a_file(capsys, tiny_dir, tmp_path, kind):
    out = tmp_path / "targets.csv"
    os.mkfifo(out) if kind == "fifo" else out.mkdir()
    code, _, err = run(capsys, "targets", str(tiny_dir), "--format", "csv", "--out", str(out), "--force")
    assert code == 2 and ("is a folder" if kind == "folder" else "not a regular file") in err
    _one_line_error(err, out)


def test_out_on_a_full_disk_keeps_the_old_file(capsys, tiny_dir, tmp_path, monkeypatch):
    import pandas as pd

    out = tmp_path / "out" / "targets.csv"
    out.parent.mkdir()
    out.write_text("old\n", encoding="utf-8")

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", full)
    code, _, err = run(capsys, "targets", str(tiny_dir), "--format", "csv", "--out", str(out), "--force")
    assert code == 2 and err == f"workbench: error: {out}: no space left on the disk\n"
    assert out.read_text(encoding="utf-8") == "old\n" and os.listdir(out.parent) == ["targets.csv"]


def test_out_into_a_read_only_folder(capsys, tiny_dir, tmp_path, monkeypatch):
    import tempfile

    folder = tmp_path / "ro"
    folder.mkdir()

    def refuse(*args, **kwargs):  # what a read-only folder does to anyone but root
        raise PermissionError(errno.EACCES, "Permission denied", str(folder))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    code, _, err = run(capsys, "targets", str(tiny_dir), "--format", "csv", "--out", str(folder / "t.csv"))
    assert code == 2 and err == f"workbench: error: {folder / 't.csv'}: permission denied (is the folder read-only?)\n"
    assert os.listdir(folder) == []


def test_outputs_create_missing_folders(capsys, tiny_dir, tmp_path):
    out = tmp_path / "new" / "deeper" / "targets.xlsx"
    assert main(["targets", str(tiny_dir), "--format", "xlsx", "--out", str(out)]) == 0
    assert out.is_file()
    cloud = tmp_path / "clouds" / "a.png"
    assert main(["wordcloud", str(tiny_dir), "--doc", "a_plan", "--out", str(cloud), "--width", "200", "--height", "100"]) == 0
    assert cloud.read_bytes()[:4] == b"\x89PNG" and os.listdir(cloud.parent) == ["a.png"]


def test_topics_out_refused_before_anything_is_written(capsys, tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "settings.json").write_text("{}", encoding="utf-8")
    code, _, err = run(capsys, "topics", "--k", "3", "--out", str(folder))
    assert code == 2 and os.listdir(folder) == ["settings.json"]
    _one_line_error(err, folder / "settings.json")
    (tmp_path / "file").write_text("", encoding="utf-8")
    code, _, err = run(capsys, "topics", "--k", "3", "--out", str(tmp_path / "file"))
    assert code == 2 and "--out is a folder to write the tables into" in err


def test_unreachable_scheduler(capsys, monkeypatch):
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    from workbench.cli import common

    monkeypatch.setattr(common, "SCHEDULER_TIMEOUT", 1)
    code, _, err = run(capsys, "corpus", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:1")
    assert code == 2 and "cannot reach the Dask scheduler" in err
    _one_line_error(err, "tcp://127.0.0.1:1")


@pytest.mark.parametrize("error", [KeyError("n_chars"), OSError(errno.EIO, "Input/output error"), TypeError("bug")])
def test_internal_errors_keep_their_traceback(capsys, monkeypatch, error):
    def broken(corpus):
        raise error

    monkeypatch.setattr("workbench.cli.corpus.corpus_table", broken)
    with pytest.raises(type(error)):
        main(["corpus"])



def test_full_standard_output_is_one_line(tmp_path):
    """workbench corpus > /dev/full: a full disk under standard output, not a traceback."""
    import subprocess
    import sys

    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "workbench.cli", "corpus", "--format", "csv"], stdout=full,
                                stderr=subprocess.PIPE, text=True)
    assert result.returncode == 2 and result.stderr.strip().endswith("standard output: No space left on device")
    assert "Traceback" not in result.stderr
