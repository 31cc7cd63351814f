"""Topic models: reproducible, recovering planted topics, with coherence and stability checked by hand."""
import itertools
import json
import math
import random
from collections import Counter

import numpy as np
import pandas as pd
import pytest

import workbench as wb
from workbench.topic_quality import align_topics, npmi_coherence, umass_coherence, window_counts

ECOLOGY = "生态 环境 森林 湿地 河流 湖泊 空气 绿色 植被 水质 污染 保护".split()
INDUSTRY = "工业 制造 企业 工厂 机器 设备 产能 钢铁 化工 汽车 芯片 产品".split()


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """Six documents of eight paragraphs; documents 0–2 draw words only from ECOLOGY, 3–5 from INDUSTRY."""
    folder = tmp_path_factory.mktemp("planted")
    rng = random.Random(7)
    for d in range(6):
        vocab = ECOLOGY if d < 3 else INDUSTRY
        # lengths differ, as real paragraphs do (equal-length lines would read as a hard-wrapped PDF copy)
        lengths = rng.sample(range(6, 22, 2), 8)
        paragraphs = ["，".join(rng.choices(vocab, k=n)) + "。" for n in lengths]
        (folder / f"doc{d}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return wb.load_corpus(folder)


@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_planted_topics_are_recovered(planted, method):
    model = wb.fit_topics(planted, method=method, k=2, min_df=1, max_df=1.0, seed=0)
    assert len(model.units) == 48
    top = {t: set(model.topics[model.topics["topic"] == t]["term"].head(8)) for t in (0, 1)}
    eco_topic = 0 if top[0] <= set(ECOLOGY) else 1
    assert top[eco_topic] <= set(ECOLOGY) and top[1 - eco_topic] <= set(INDUSTRY)
    shares = model.unit_shares.pivot(index=["doc_id", "unit"], columns="topic", values="share")
    dominant = shares.idxmax(axis=1)
    planted_topic = [eco_topic if doc in ("doc0", "doc1", "doc2") else 1 - eco_topic for doc, _ in shares.index]
    assert (dominant.to_numpy() == np.array(planted_topic)).all()
    docs = model.document_shares.pivot(index="doc_id", columns="topic", values="share")
    for doc, row in docs.iterrows():
        expected = eco_topic if doc in ("doc0", "doc1", "doc2") else 1 - eco_topic
        assert row[expected] > 0.9, (doc, row.to_dict())
    stability = wb.topic_stability(model, seeds=[1, 2, 3])
    assert (stability["stability"] > 0.95).all()


@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_same_seed_same_tables(seed_corpus, method):
    a = wb.fit_topics(seed_corpus, method=method, k=6, seed=3)
    b = wb.fit_topics(seed_corpus, method=method, k=6, seed=3)
    pd.testing.assert_frame_equal(a.topics, b.topics)
    pd.testing.assert_frame_equal(a.unit_shares, b.unit_shares)
    pd.testing.assert_frame_equal(a.document_shares, b.document_shares)
    assert a.settings == b.settings and a.settings.seed == 3


def test_lda_seed_changes_the_fit(seed_corpus):
    a = wb.fit_topics(seed_corpus, method="lda", k=6, seed=0)
    b = wb.fit_topics(seed_corpus, method="lda", k=6, seed=1)
    assert not np.allclose(a.components, b.components)


def test_npmi_matches_hand_computation():
    units = [["a", "b", "c"], ["a", "b"], ["c", "d"]]
    # windows of 2: [a b] [b c] | [a b] | [c d]  -> 4 windows
    n, single, joint = window_counts(units, window=2)
    assert n == 4 and single == {"a": 2, "b": 3, "c": 2, "d": 1} and joint[("a", "b")] == 2
    npmi_ab = math.log((2 / 4) / ((2 / 4) * (3 / 4))) / -math.log(2 / 4)
    npmi_bc = math.log((1 / 4) / ((3 / 4) * (2 / 4))) / -math.log(1 / 4)
    npmi_ac = -1.0  # never in one window
    assert npmi_coherence([["a", "b", "c"]], units, window=2)[0] == pytest.approx((npmi_ab + npmi_bc + npmi_ac) / 3)
    assert npmi_coherence([["c", "d"]], units, window=2)[0] == pytest.approx(
        math.log((1 / 4) / ((2 / 4) * (1 / 4))) / -math.log(1 / 4))
    assert npmi_coherence([["a", "zzz"]], units, window=2) == [-1.0]


def test_umass_matches_hand_computation():
    units = [["a", "b", "c"], ["a", "b"], ["c", "d"]]
    # D(a)=2, D(b)=2, D(a,b)=2, D(a,c)=1, D(b,c)=1; pairs (b|a), (c|a), (c|b)
    expected = (math.log((2 + 1) / 2) + math.log((1 + 1) / 2) + math.log((1 + 1) / 2)) / 3
    assert umass_coherence([["a", "b", "c"]], units)[0] == pytest.approx(expected)


def test_align_topics_recovers_a_permutation():
    rng = np.random.default_rng(0)
    reference = rng.random((5, 40))
    order = np.array([3, 0, 4, 1, 2])
    other = reference[order]
    match, similarity = align_topics(reference, other)
    assert (other[match] == reference).all()
    assert similarity == pytest.approx(np.ones(5))


def test_document_shares_are_length_weighted(seed_corpus):
    model = wb.fit_topics(seed_corpus, k=5)
    doc = "003_75a5bbd56f8ce010"
    units = model.units[model.units["doc_id"] == doc]
    shares = model.unit_shares[model.unit_shares["doc_id"] == doc].pivot(index="unit", columns="topic", values="share")
    weights = units.set_index("unit")["n_terms"]
    expected = shares.mul(weights, axis=0).sum() / weights.sum()
    got = model.document_shares[model.document_shares["doc_id"] == doc].set_index("topic")["share"]
    assert np.allclose(got.sort_index().to_numpy(), expected.sort_index().to_numpy())
    assert np.allclose(model.unit_shares.groupby(["doc_id", "unit"])["share"].sum(), 1)
    by_region = model.shares_by("region")
    assert np.allclose(by_region.sum(axis=1), 1) and "徐州市" in by_region.index


def test_sentence_windows(seed_corpus):
    model = wb.fit_topics(seed_corpus, k=4, unit="sentences:5")
    assert model.settings.unit == "sentences:5"
    per_doc = model.units.groupby("doc_id").size()
    sentences = seed_corpus.sentences.groupby("doc_id").size()
    assert (per_doc <= np.ceil(sentences / 5)).all()


def test_sweep(seed_corpus):
    nmf = wb.sweep_topics(seed_corpus, [3, 5], method="nmf")
    assert nmf["k"].tolist() == [3, 5] and nmf["perplexity"].isna().all()
    assert nmf["npmi"].between(-1, 1).all() and (nmf["umass"] < 0.7).all()
    lda = wb.sweep_topics(seed_corpus, [3, 5], method="lda")
    assert (lda["perplexity"] > 1).all()


def test_labels_representative_and_rename(seed_corpus):
    model = wb.fit_topics(seed_corpus, k=5)
    first_terms = model.topics[model.topics["topic"] == 0]["term"].head(3).tolist()
    assert model.labels[0] == "·".join(first_terms)
    rep = model.representative(2)
    assert rep.groupby("topic").size().tolist() == [2] * 5
    for r in rep.itertuples():
        assert r.text in seed_corpus.document(r.doc_id)["text"] or r.text.startswith(
            seed_corpus.paragraphs.query("doc_id == @r.doc_id and paragraph == @r.paragraph")["text"].iloc[0][:10])
    named = model.rename({1: "生态环境"})
    assert named.labels[1] == "生态环境" and set(named.topics.loc[named.topics["topic"] == 1, "label"]) == {"生态环境"}
    assert model.labels[1] != "生态环境"  # the original is unchanged
    assert "生态环境" in named.shares_by().columns
    with pytest.raises(ValueError, match="no topic 9"):
        model.rename({9: "x"})


def test_export_writes_settings(seed_corpus, tmp_path):
    model = wb.fit_topics(seed_corpus, k=4, seed=2).rename({0: "甲"})
    written = model.export(tmp_path / "out")
    assert sorted(p.name for p in written) == ["document_shares.csv", "representative.csv", "settings.json",
                                                "topics.csv", "unit_shares.csv"]
    settings = json.loads((tmp_path / "out" / "settings.json").read_text(encoding="utf-8"))
    assert settings["k"] == 4 and settings["seed"] == 2 and settings["labels"]["0"] == "甲"
    assert pd.read_csv(tmp_path / "out" / "topics.csv")["topic"].nunique() == 4
    with pytest.raises(FileExistsError):
        model.export(tmp_path / "out")


@pytest.mark.parametrize("kwargs, message", [
    ({"k": 1}, "k must be"),
    ({"method": "pca"}, "method must be one of"),
    ({"unit": "sentences:x"}, "unit must be"),
    ({"min_terms": 10_000}, "no unit has"),
    ({"k": 500, "min_df": 50}, "too few for k=500"),
])
def test_bad_settings(seed_corpus, kwargs, message):
    with pytest.raises(ValueError, match=message):
        wb.fit_topics(seed_corpus, **kwargs)


def test_user_folder(tiny_dir):
    with pytest.raises(ValueError, match="no unit has|too few|no terms left"):
        wb.fit_topics(wb.load_corpus(tiny_dir), k=2)  # three one-line files are too small: a clear error


def _windows_one_by_one(sequences, window, vocabulary):
    """The definition of window_counts, window by window."""
    n_windows, single, joint = 0, Counter(), Counter()
    for seq in sequences:
        for s in range(max(1, len(seq) - window + 1)):
            present = set(seq[s:s + window])
            present = sorted(present if vocabulary is None else present & vocabulary)
            n_windows += 1
            single.update(present)
            joint.update(itertools.combinations(present, 2))
    return n_windows, single, joint


def test_window_counts_equal_the_window_by_window_definition():
    rng = random.Random(7)
    for _ in range(300):
        alphabet = ["发展", "绿色", "生态", "创新", "开放", "城乡", "a", "b"][:rng.randint(1, 8)]
        sequences = [[rng.choice(alphabet) for _ in range(rng.randint(0, 30))] for _ in range(rng.randint(0, 6))]
        window = rng.randint(1, 12)
        vocabulary = None if rng.random() < 0.4 else set(rng.sample(alphabet, rng.randint(0, len(alphabet)))) | {"zzz"}
        assert window_counts(sequences, window, vocabulary) == _windows_one_by_one(sequences, window, vocabulary)


def test_share_matrix_reshapes_or_pivots_the_unit_shares(seed_corpus):
    from dataclasses import replace

    from workbench.topics import share_matrix

    model = wb.fit_topics(seed_corpus, k=4)
    wide = model.unit_shares.pivot(index=["doc_id", "unit"], columns="topic", values="share")
    expected = wide.reindex(pd.MultiIndex.from_frame(model.units[["doc_id", "unit"]])).to_numpy()
    assert (share_matrix(model) == expected).all()
    shuffled = replace(model, unit_shares=model.unit_shares.sample(frac=1.0, random_state=1))
    assert (share_matrix(shuffled) == expected).all()
    assert (wb.topic_summary(shuffled) == wb.topic_summary(model)).all().all()
