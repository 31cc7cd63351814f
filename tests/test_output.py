import errno
import io
import json
import os
import tempfile

import openpyxl
import pandas as pd
import pytest

from workbench import output
from workbench.compare import export_tables
from workbench.output import OutputError, atomic_path, neutralise_formulas, write_table
from workbench.report import write_report
from workbench.topics import EXPORT_FILES, fit_topics

# Values as they come out of real documents and tables, and what a spreadsheet must see.
CELLS = [
    ("=1+2", "'=1+2"),
    ("+86 10 1234", "'+86 10 1234"),
    ("-3.5%", "'-3.5%"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=cmd", "'\t=cmd"),
    ("\r=cmd", "'\r=cmd"),
    ("=HYPERLINK(\"http://x\",\"点击\")", "'=HYPERLINK(\"http://x\",\"点击\")"),
    ("地区生产总值年均增长6%", "地区生产总值年均增长6%"),
    ("“=”号", "“=”号"),
    ("", ""),
]


@pytest.mark.parametrize(("value", "shown"), CELLS)
def test_neutralise_formulas_text_cells(value, shown):
    df = pd.DataFrame({"quote": [value], "value": [-3.5], "year": [2025]})
    out = neutralise_formulas(df)
    assert out.loc[0, "quote"] == shown
    assert out.loc[0, "value"] == -3.5 and out["value"].dtype == float  # negative numbers stay numbers
    assert out["year"].dtype == df["year"].dtype
    assert df.loc[0, "quote"] == value  # the input is not changed


def test_neutralise_formulas_column_names_and_missing_values():
    df = pd.DataFrame({"=x": ["-a", None, float("nan")], "n": [-1, -2, -3]})
    out = neutralise_formulas(df)
    assert list(out.columns) == ["'=x", "n"]
    assert out.loc[0, "'=x"] == "'-a" and out["'=x"].isna().tolist() == [False, True, True]


def test_write_table_csv_is_safe_and_json_exact():
    df = pd.DataFrame({"region": ["=1+2", "广东"], "value": [-8.0, 7.5]})
    csv_out, json_out = io.StringIO(), io.StringIO()
    write_table(df, "csv", csv_out)
    write_table(df, "jsonl", json_out)
    assert csv_out.getvalue().splitlines() == ["region,value", "'=1+2,-8.0", "广东,7.5"]
    assert [json.loads(line)["region"] for line in json_out.getvalue().splitlines()] == ["=1+2", "广东"]


def test_export_xlsx_keeps_text_as_text(tmp_path):
    path = tmp_path / "targets.xlsx"
    records = pd.DataFrame({"region": ["=1+2", "@A1", "-x", "广东"], "value": [-3, 2.5, 0, 65]})
    export_tables({"records": records, "comparison": records.head(1)}, path)
    book = openpyxl.load_workbook(path)
    cells = [(c.value, c.data_type) for row in book["records"].iter_rows(min_row=2) for c in row]
    assert cells[:2] == [("=1+2", "s"), (-3, "n")]  # a region "=1+2" is not the formula 3
    assert all(t == "s" for v, t in cells if isinstance(v, str))
    assert pd.read_excel(path, sheet_name="comparison")["region"].tolist() == ["=1+2"]


@pytest.mark.parametrize(("bom", "start"), [(True, b"\xef\xbb\xbfregion,value\r\n"), (False, b"region,value\r\n")])
def test_export_csv_bom_and_formulas(tmp_path, bom, start):
    path = tmp_path / "new" / "deeper" / "targets.csv"  # missing folders are created
    export_tables(pd.DataFrame({"region": ["=1+2", "广东"], "value": [-3, 65]}), path, bom=bom)
    data = path.read_bytes()
    assert data.replace(b"\r\n", b"\n").startswith(start.replace(b"\r\n", b"\n"))
    assert data.decode("utf-8-sig").splitlines()[1:] == ["'=1+2,-3", "广东,65"]
    assert pd.read_csv(path)["value"].tolist() == [-3, 65]


def test_export_jsonl_keeps_text(tmp_path):
    path = tmp_path / "t.jsonl"
    export_tables(pd.DataFrame({"region": ["=1+2"]}), path)
    assert json.loads(path.read_text(encoding="utf-8")) == {"region": "=1+2"}


def test_atomic_path_creates_folders_and_mode(tmp_path):
    target = tmp_path / "a" / "b" / "out.txt"
    with atomic_path(target) as tmp:
        tmp.write_text("新", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "新" and os.listdir(target.parent) == ["out.txt"]
    assert target.stat().st_mode & 0o777 == 0o666 & ~output._umask()


@pytest.mark.parametrize("kind", ["folder", "fifo", "device"])
def test_atomic_path_refuses_what_is_not_a_file(tmp_path, kind):
    target = {"folder": tmp_path, "fifo": tmp_path / "out.csv", "device": "/dev/null"}[kind]
    if kind == "fifo":
        os.mkfifo(target)
    with pytest.raises(OutputError, match={"folder": "is a folder", "fifo": "not a regular file",
                                           "device": "not a regular file"}[kind]) as info:
        with atomic_path(target):
            pytest.fail("the block must not run")
    assert info.value.filename == str(target) and str(info.value).startswith(f"{target}: ")
    assert os.path.exists("/dev/null") and not os.path.isfile("/dev/null")


def _full_disk(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_full_disk_keeps_the_old_file_and_leaves_nothing(tmp_path, monkeypatch):
    path = tmp_path / "targets.csv"
    path.write_text("old\n", encoding="utf-8")
    monkeypatch.setattr(pd.DataFrame, "to_csv", _full_disk)
    with pytest.raises(OutputError) as info:
        export_tables(pd.DataFrame({"a": [1]}), path, overwrite=True)
    assert str(info.value) == f"{path}: no space left on the disk" and info.value.errno == errno.ENOSPC
    assert isinstance(info.value, OSError)  # code that tolerates a failed write (a cache) still does
    assert path.read_text(encoding="utf-8") == "old\n" and os.listdir(tmp_path) == ["targets.csv"]


def test_read_only_folder(tmp_path, monkeypatch):
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() != 0:  # root writes anyway: then only the simulated refusal below is tested
        folder.chmod(0o555)
        try:
            with pytest.raises(OutputError, match="permission denied"):
                export_tables(pd.DataFrame({"a": [1]}), folder / "t.csv")
        finally:
            folder.chmod(0o755)

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(folder))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(OutputError) as info:
        export_tables(pd.DataFrame({"a": [1]}), folder / "t.csv")
    assert str(info.value) == f"{folder / 't.csv'}: permission denied (is the folder read-only?)"
    assert os.listdir(folder) == []


def test_an_error_about_another_file_is_not_the_outputs(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        with atomic_path(tmp_path / "out.txt"):
            open(tmp_path / "missing-input.txt", encoding="utf-8")  # noqa: SIM115
    assert not isinstance(info.value, OutputError) and os.listdir(tmp_path) == []


def test_write_report_creates_the_folder(tmp_path, monkeypatch):
    monkeypatch.setattr("workbench.report.build_report", lambda corpus, settings: "<html></html>\n")
    path = write_report(None, tmp_path / "reports" / "2025" / "r.html")
    assert path.read_text(encoding="utf-8") == "<html></html>\n"
    with pytest.raises(FileExistsError):
        write_report(None, path)
    (tmp_path / "x.html").mkdir()
    with pytest.raises(OutputError, match="x.html: is a folder"):
        write_report(None, tmp_path / "x.html", overwrite=True)


@pytest.fixture(scope="module")
def model(seed_corpus):
    return fit_topics(seed_corpus, k=3)


def test_topic_export_all_or_nothing(model, tmp_path, monkeypatch):
    folder = tmp_path / "topics"
    folder.mkdir()
    (folder / "settings.json").write_text("{}", encoding="utf-8")
    with pytest.raises(FileExistsError, match="settings.json"):
        model.export(folder)
    assert os.listdir(folder) == ["settings.json"]  # no CSV written before the refusal

    calls = []

    def fail_third(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            _full_disk()
        return real(self, *args, **kwargs)

    real = pd.DataFrame.to_csv
    monkeypatch.setattr(pd.DataFrame, "to_csv", fail_third)
    with pytest.raises(OutputError, match="document_shares.csv: no space left on the disk"):
        model.export(folder, overwrite=True)
    assert os.listdir(folder) == ["settings.json"] and (folder / "settings.json").read_text(encoding="utf-8") == "{}"
    monkeypatch.undo()
    written = model.export(tmp_path / "new" / "topics")  # a missing folder is created
    assert [p.name for p in written] == list(EXPORT_FILES)
    assert json.loads(written[-1].read_text(encoding="utf-8"))["k"] == 3
    assert written[0].read_bytes().startswith(b"\xef\xbb\xbf")


def test_comparators_stay_as_they_are_in_csv(capsys):
    """The comparator "=" of target records is no formula: CSV readers get it unchanged."""
    import pandas as pd

    from workbench.output import write_table

    write_table(pd.DataFrame({"comparator": ["=", ">=", "~"], "quote": ["=SUM(A1)", "增长5%", "-"]}), "csv")
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:] == ["=,'=SUM(A1)", ">=,增长5%", "~,-"]
