"""workbench: read and compare Chinese regional development plans with data.

The curated API; importing it loads nothing heavy (no jieba, no fonts).

>>> import workbench as wb
>>> corpus = wb.load_corpus()
>>> len(corpus)
5
"""
from .attainment import attainment
from .compare import compare_targets, competing_targets, coverage, export_tables, filter_targets
from .clean import Cleaned, clean_document, clean_text, detect_script, split_sentences, to_simplified
from .corpus import Corpus, CorpusWarning, combine_corpora, corpus_table, load_corpus, load_document
from .errors import CorpusError
from .groups import decade, document_groups, plan_period, unit_groups
from .keyness import collocations, keyness, log_odds
from .keywords import jieba_keywords, rank_terms, tfidf_keywords
from .kwic import kwic
from .network import cooccurrence_network, export_network, network_tables, network_widget, plot_network
from .report import ReportSettings, build_report, write_report
from .reuse import ReuseResult, text_reuse
from .segment import (backend_agreement, get_tokenizer, load_stopwords, segment_corpus, segment_sentences, segment_text,
                      tokens_by)
from .similarity import document_similarity, most_similar
from .targets import extract_document, extract_targets
from .themes import load_themes, theme_coverage, theme_matches, theme_table
from .terms import grouped_terms, term_frequencies
from .topic_quality import sweep_topics, topic_coherence, topic_stability
from .topics import TopicModel, TopicSettings, fit_topics, topic_summary
from .trends import plot_dispersion, plot_trends, term_trends
from . import token_column  # the tokens column of segment_corpus: wb.token_column.lists(tokens["tokens"])
from .viz import (make_wordcloud, plot_attainment, plot_coverage, plot_frequency_heatmap, plot_indicator,
                  plot_similarity, plot_sweep, plot_targets, plot_term_frequency, plot_themes, plot_topic_heatmap,
                  plot_topic_trends, plot_wordcloud, ranking_weights, save_wordcloud)

__version__ = "0.1.0"

__all__ = [
    "attainment",
    "backend_agreement",
    "build_report",
    "clean_document",
    "clean_text",
    "Cleaned",
    "collocations",
    "combine_corpora",
    "compare_targets",
    "competing_targets",
    "cooccurrence_network",
    "Corpus",
    "corpus_table",
    "CorpusError",
    "CorpusWarning",
    "coverage",
    "decade",
    "detect_script",
    "document_groups",
    "document_similarity",
    "export_network",
    "export_tables",
    "extract_document",
    "extract_targets",
    "filter_targets",
    "fit_topics",
    "get_tokenizer",
    "grouped_terms",
    "jieba_keywords",
    "keyness",
    "kwic",
    "load_corpus",
    "load_document",
    "load_stopwords",
    "load_themes",
    "log_odds",
    "make_wordcloud",
    "most_similar",
    "network_tables",
    "network_widget",
    "plan_period",
    "plot_attainment",
    "plot_coverage",
    "plot_dispersion",
    "plot_frequency_heatmap",
    "plot_indicator",
    "plot_network",
    "plot_similarity",
    "plot_sweep",
    "plot_targets",
    "plot_term_frequency",
    "plot_themes",
    "plot_topic_heatmap",
    "plot_topic_trends",
    "plot_trends",
    "plot_wordcloud",
    "rank_terms",
    "ranking_weights",
    "ReportSettings",
    "ReuseResult",
    "save_wordcloud",
    "segment_corpus",
    "segment_sentences",
    "segment_text",
    "split_sentences",
    "sweep_topics",
    "term_frequencies",
    "term_trends",
    "text_reuse",
    "tfidf_keywords",
    "theme_coverage",
    "theme_matches",
    "theme_table",
    "to_simplified",
    "tokens_by",
    "topic_coherence",
    "topic_stability",
    "topic_summary",
    "TopicModel",
    "TopicSettings",
    "unit_groups",
    "write_report",
]


def __getattr__(name: str):
    """Modules with heavier imports (widgets need ipywidgets) load on first use: ``wb.widgets``."""
    if name in ("widgets", "numbers", "targets", "evaluate", "resources", "fonts", "terms", "keywords", "keyness",
                "topics", "topic_quality", "similarity", "themes", "report", "engines", "reuse", "reuse_view",
                "groups", "trends", "network", "structure", "places", "tables", "datafiles", "steps", "frame_cache",
                "clean", "corpus", "segment", "viz", "compare", "output"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'workbench' has no attribute {name!r}")
