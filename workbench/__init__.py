"""workbench: read and compare Chinese regional development plans with data.

The curated API; importing it loads nothing heavy (no jieba, no fonts).

>>> import workbench as wb
>>> corpus = wb.load_corpus()
>>> len(corpus)
5
"""
from .clean import clean_text, detect_script, split_sentences, to_simplified
from .corpus import Corpus, CorpusWarning, corpus_table, load_corpus
from .errors import CorpusError
from .segment import get_tokenizer, load_stopwords, segment_corpus, segment_text, tokens_by

__version__ = "0.1.0"

__all__ = [
    "Corpus",
    "CorpusError",
    "CorpusWarning",
    "clean_text",
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
    if name in ("widgets",):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'workbench' has no attribute {name!r}")
