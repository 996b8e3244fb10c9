"""Ranking: BM25, the static embedding model, fusion, explanations and the cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from credstack.align.bm25 import BM25Index, Document, matched_terms
from credstack.align.index import build_index, cache_path
from credstack.align.rank import LABEL_SHARE, LEXICAL_WEIGHT, fused_scores, suggest
from credstack.align.static_model import default_model
from credstack.align.text import stem, terms
from credstack.errors import InvalidInput
from credstack.taxonomy.importers.custom import read_custom_yaml


def _docs(*labels: str) -> list[Document]:
    return [Document(fields=(([label], 1),)) for label in labels]


def test_bm25_ranks_the_document_sharing_the_rare_term_first() -> None:
    index = BM25Index.build(_docs("manage staff", "manage budgets", "bake bread"))
    scores = index.score("budgets to manage")
    assert int(np.argmax(scores)) == 1
    assert scores[2] == 0


def test_bm25_matches_inflected_forms() -> None:
    index = BM25Index.build(_docs("cleaning data sets", "baking bread"))
    assert int(np.argmax(index.score("clean the data"))) == 0


def test_bm25_prefers_a_short_document_for_the_same_match() -> None:
    index = BM25Index.build(_docs("python", "python and many other unrelated words here"))
    scores = index.score("python")
    assert scores[0] > scores[1] > 0


def test_bm25_round_trips_through_arrays() -> None:
    index = BM25Index.build(_docs("manage staff", "manage budgets", "bake bread"))
    again = BM25Index.from_arrays(index.to_arrays())
    assert np.allclose(index.score("manage bread"), again.score("manage bread"))


def test_stemming_conflates_plurals_and_participles() -> None:
    assert stem("supervising") == stem("supervised") == "supervis"
    assert terms("Cleaning the data sets") == ["clean", "data", "set"]


def test_static_model_places_paraphrases_closer_than_unrelated_text() -> None:
    vectors = default_model().embed(["manage staff", "supervise employees", "bake bread"])
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_suggests_the_competency_described_by_a_paraphrase(custom_yaml: Path) -> None:
    index = build_index(read_custom_yaml(custom_yaml))
    (suggestions,) = suggest(index, ["Correct inaccurate records in data"], 2)
    assert suggestions[0].competency.uri == "https://acme.example/c/clean"
    assert "record" in suggestions[0].matched_terms
    assert suggestions[0].score >= suggestions[1].score


def test_fusion_mixes_normalised_bm25_and_cosine(custom_yaml: Path) -> None:
    index = build_index(read_custom_yaml(custom_yaml))
    fused, lexical, semantic = fused_scores(index, ["bake sourdough bread"])
    assert lexical.max() == pytest.approx(1.0)
    assert np.allclose(fused, LEXICAL_WEIGHT * lexical + (1 - LEXICAL_WEIGHT) * semantic)


def test_semantic_similarity_mixes_the_label_and_description_fields(custom_yaml: Path) -> None:
    index = build_index(read_custom_yaml(custom_yaml))
    statement = "Correct inaccurate records in data"
    _, _, semantic = fused_scores(index, [statement])
    query = index.model.embed([statement], index.token_weights)[0]
    clean = index.uris.index("https://acme.example/c/clean")
    labels = index.model.embed(["Clean data sets data cleaning scrub data"], index.token_weights)
    description = index.model.embed(
        ["Detect and correct corrupt or inaccurate records in a data set."], index.token_weights
    )
    expected = LABEL_SHARE * (query @ labels[0]) + (1 - LABEL_SHARE) * (query @ description[0])
    assert semantic[0, clean] == pytest.approx(expected, abs=1e-5)


def test_a_competency_without_description_is_compared_on_its_labels(custom_yaml: Path) -> None:
    index = build_index(read_custom_yaml(custom_yaml))
    _, _, semantic = fused_scores(index, ["handling of data"])
    query = index.model.embed(["handling of data"], index.token_weights)[0]
    group = index.uris.index("https://acme.example/c/data")
    assert not index.has_description[group]
    label = index.model.embed(["Data handling"], index.token_weights)[0]
    assert semantic[0, group] == pytest.approx(float(query @ label), abs=1e-5)


def test_explanation_names_the_nearest_label(custom_yaml: Path) -> None:
    index = build_index(read_custom_yaml(custom_yaml))
    (suggestions,) = suggest(index, ["build dashboards"], 1)
    assert suggestions[0].nearest_label == "build dashboards"


def test_rejects_an_empty_statement(custom_yaml: Path) -> None:
    index = build_index(read_custom_yaml(custom_yaml))
    with pytest.raises(InvalidInput, match=r"statements\[1\]: statement must not be empty"):
        suggest(index, ["clean data", "  "], 3)


def test_embeddings_are_cached_by_content_hash_and_model(custom_yaml: Path) -> None:
    framework = read_custom_yaml(custom_yaml)
    model = default_model()
    path = cache_path(framework.content_hash, model.model_id)
    assert not path.exists()
    first = build_index(framework)
    assert path.exists()
    stamp = path.stat().st_mtime_ns
    second = build_index(framework)
    assert path.stat().st_mtime_ns == stamp
    assert np.array_equal(first.vectors, second.vectors)
    assert np.array_equal(first.description_vectors, second.description_vectors)


def test_a_changed_framework_gets_its_own_cache_entry(custom_yaml: Path) -> None:
    framework = read_custom_yaml(custom_yaml)
    model_id = default_model().model_id
    other = cache_path("0" * 64, model_id)
    assert cache_path(framework.content_hash, model_id) != other
    assert cache_path(framework.content_hash, model_id) != cache_path(
        framework.content_hash, "another-model"
    )


def test_matched_terms_keep_query_order() -> None:
    assert matched_terms("data cleaning and charts", "chart data after cleaning") == [
        "data",
        "clean",
        "chart",
    ]
