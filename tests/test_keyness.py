"""Keyness and log-odds of each group against the rest: counted in one matrix, equal to naming the rest as B."""
import pandas as pd
import pytest

import workbench as wb
from workbench.keyness import keyness, log_odds
from workbench.terms import grouped_terms


@pytest.mark.parametrize("func", [keyness, log_odds])
@pytest.mark.parametrize("by", ["doc_id", "doc_type"])
def test_against_the_rest_equals_the_other_groups_as_reference(seed_corpus, func, by):
    labels = grouped_terms(seed_corpus, by)[by].tolist()
    for target in labels[:2]:
        rest = func(seed_corpus, target, by=by, top=None, min_count=2)
        named = func(seed_corpus, target, reference=[g for g in labels if g != target], by=by, top=None, min_count=2)
        assert (rest["reference"] == "(rest)").all() and len(rest) > 100
        pd.testing.assert_frame_equal(rest.drop(columns="reference"), named.drop(columns="reference"), check_exact=True)


@pytest.mark.parametrize("func", [keyness, log_odds])
def test_every_group_at_once_equals_one_at_a_time(seed_corpus, func):
    tokens = wb.segment_corpus(seed_corpus)
    groups = grouped_terms(seed_corpus, "doc_id", tokens=tokens)
    every = func(seed_corpus, by="doc_id", top=10, groups=groups)
    for doc_id in seed_corpus.doc_ids:
        one = func(seed_corpus, doc_id, by="doc_id", top=10, tokens=tokens)
        mine = every[every["doc_id"] == doc_id].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, one, check_exact=True)
