"""The fast aligner finds exactly what the regular expression would."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import workbench as wb
from workbench.align import Aligner, fragment_pattern

from .conftest import SEEDS

TEXT = st.text(alphabet="发展经济 \n\u3000，。ab1", max_size=40)


def regex_locate(fragment, text, start):
    m = fragment_pattern(fragment).search(text, start)
    if m is None and start:
        m = fragment_pattern(fragment).search(text)
    return (m.start(), m.end()) if m else None


@settings(max_examples=400, deadline=None)
@given(TEXT, st.text(alphabet="发展经济 \n，。ab1", min_size=1, max_size=6), st.integers(0, 45))
def test_aligner_equals_regex_search(text, fragment, start):
    start = min(start, len(text))
    expected = regex_locate(fragment, text, start) if fragment.strip() else None
    assert Aligner(text).locate(fragment, start) == expected


def test_span_covers_line_breaks():
    original = "推动高质量\n发展，建设美丽徐州。"
    start, end = Aligner(original).locate("高质量发展")
    assert original[start:end] == "高质量\n发展"


@pytest.mark.parametrize("transform", [
    lambda text: text.replace("\n", "\r\n"),
    lambda text: text.replace("\n\n", "\n\f"),
    lambda text: text.replace("。", "。 | ", 40),
])
def test_quotes_are_copied_as_written_whatever_the_line_endings(tmp_path, seed_corpus, transform):
    """With CRLF, form feeds or `` | `` table rules in the file, quotes are still the file's own text."""
    import pandas as pd

    for path in SEEDS.glob("*.txt"):
        (tmp_path / path.name).write_text(transform(path.read_text(encoding="utf-8")), encoding="utf-8", newline="")
    (tmp_path / "manifest.csv").write_bytes((SEEDS / "manifest.csv").read_bytes())
    corpus = wb.load_corpus(tmp_path)
    records = wb.extract_targets(corpus)
    originals = dict(zip(corpus.documents["doc_id"], corpus.documents["original"]))
    assert all(quote in originals[doc] for doc, quote in zip(records["doc_id"], records["quote"]))
    plain = wb.extract_targets(seed_corpus)
    normalize = lambda s: s.str.replace(r"[\s|]", "", regex=True)  # noqa: E731
    pd.testing.assert_series_equal(normalize(records["quote"]), normalize(plain["quote"]))
