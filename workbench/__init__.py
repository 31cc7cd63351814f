"""workbench: read and compare Chinese regional development plans with data.

The curated API; importing it loads nothing heavy (no jieba, no fonts).

>>> import workbench as wb
>>> corpus = wb.load_corpus()
>>> len(corpus)
5
"""
from .compare import compare_targets, coverage, export_tables, filter_targets, plot_coverage, plot_indicator
from .clean import clean_text, detect_script, split_sentences, to_simplified
from .corpus import Corpus, CorpusWarning, corpus_table, load_corpus
from .errors import CorpusError
from .segment import get_tokenizer, load_stopwords, segment_corpus, segment_text, tokens_by
from .targets import extract_targets

__version__ = "0.1.0"

__all__ = [
    "Corpus",
    "CorpusError",
    "CorpusWarning",
    "clean_text",
    "compare_targets",
    "coverage",
    "export_tables",
    "extract_targets",
    "filter_targets",
    "plot_coverage",
    "plot_indicator",
    "corpus_table",
    "detect_script",
    "get_tokenizer",
    "load_corpus",
    "load_stopwords",
    "segment_corpus",
    "segment_text",
    "split_sentences",
    "to_simplified",
    "tokens_by",
]


def __getattr__(name: str):
    """Modules with heavier imports (widgets need ipywidgets) load on first use: ``wb.widgets``."""
    if name in ("widgets", "numbers", "targets", "evaluate", "resources"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'workbench' has no attribute {name!r}")
