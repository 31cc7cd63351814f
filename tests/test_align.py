"""The fast aligner finds exactly what the regular expression would."""
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.align import Aligner, fragment_pattern

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
