"""A searchable index of one framework's competencies: BM25 postings and embeddings.

Each competency has two embeddings, one of its labels (preferred and alternative) and one
of its description, so that a long statement is compared with a description and a short
one with labels without either diluting the other (see ``rank.semantic_scores``).
Embeddings are computed once per (framework content hash, model id) and cached on disk
under ``<data dir>/align-cache/``; a changed framework or model gets a new cache file.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from credstack.align.bm25 import BM25Index, Document
from credstack.align.static_model import StaticModel, default_model
from credstack.config import data_dir
from credstack.taxonomy.model import Competency, Framework

FloatMatrix = npt.NDArray[np.float32]
CACHE_FORMAT = "2"


def competency_text(competency: Competency) -> str:
    """The text a competency is embedded from: its labels, then its description."""
    return " ".join([*competency.labels(), competency.description or ""]).strip()


def label_text(competency: Competency) -> str:
    """The text a competency's label embedding is computed from: all its labels."""
    return " ".join(competency.labels()).strip()


def cache_dir() -> Path:
    """Where framework embeddings are cached."""
    return data_dir() / "align-cache"


def cache_path(content_hash: str, model_id: str) -> Path:
    """The cache file for a framework's content hash and a model."""
    key = hashlib.sha256(f"{CACHE_FORMAT}:{content_hash}:{model_id}".encode()).hexdigest()[:32]
    return cache_dir() / f"{key}.npz"


@dataclass
class CompetencyIndex:
    """Everything needed to rank one framework's competencies for a statement."""

    framework_id: str
    content_hash: str
    competencies: list[Competency]
    bm25: BM25Index
    model: StaticModel
    token_weights: npt.NDArray[np.float32]
    vectors: FloatMatrix
    description_vectors: FloatMatrix
    # Which competencies have a description embedding (a zero row means none).
    has_description: npt.NDArray[np.bool_] = field(init=False)

    def __post_init__(self) -> None:
        self.has_description = np.asarray(np.any(self.description_vectors != 0, axis=1))

    @property
    def uris(self) -> list[str]:
        """Competency URIs in index order."""
        return [competency.uri for competency in self.competencies]


def _fresh(
    competencies: list[Competency], model: StaticModel
) -> tuple[BM25Index, npt.NDArray[np.float32], FloatMatrix, FloatMatrix]:
    # BM25F-style field weights: a word in the preferred label says more than one in
    # the description.
    bm25 = BM25Index.build(
        [
            Document(
                fields=(([c.preferred_label], 3), (c.alt_labels, 2), ([c.description or ""], 1))
            )
            for c in competencies
        ]
    )
    # Token weights: inverse document frequency over the whole competency texts.
    weights = model.idf([model.token_ids(competency_text(c)) for c in competencies])
    labels = model.embed([label_text(c) for c in competencies], weights)
    descriptions = model.embed([c.description or "" for c in competencies], weights)
    return bm25, weights, labels, descriptions


def _write_cache(path: Path, arrays: dict[str, npt.NDArray[np.generic]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write to a temporary file and rename, so a concurrent reader never sees half.
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".npz")
    with os.fdopen(handle, "wb") as stream:
        np.savez(stream, **arrays)  # type: ignore[arg-type]
    os.replace(temporary, path)


def build_index(
    framework: Framework, *, model: StaticModel | None = None, use_cache: bool = True
) -> CompetencyIndex:
    """The index of ``framework``'s assignable competencies (groups are left out)."""
    model = model or default_model()
    competencies = [c for c in framework.competencies if not c.is_group]
    path = cache_path(framework.content_hash, model.model_id)
    loaded = None
    if use_cache and path.exists():
        with np.load(path, allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
        shape = (len(competencies), model.dimensions)
        if arrays["vectors"].shape == shape and arrays["descriptions"].shape == shape:
            loaded = (
                BM25Index.from_arrays(arrays),
                arrays["weights"],
                arrays["vectors"],
                arrays["descriptions"],
            )
    if loaded is None:
        loaded = _fresh(competencies, model)
        if use_cache:
            arrays = {
                **loaded[0].to_arrays(),
                "weights": loaded[1],
                "vectors": loaded[2],
                "descriptions": loaded[3],
            }
            _write_cache(path, arrays)
    bm25, weights, vectors, descriptions = loaded
    return CompetencyIndex(
        framework_id=framework.info.id,
        content_hash=framework.content_hash,
        competencies=competencies,
        bm25=bm25,
        model=model,
        token_weights=weights.astype(np.float32),
        vectors=vectors.astype(np.float32),
        description_vectors=descriptions.astype(np.float32),
    )


_indexes: dict[tuple[str, str], CompetencyIndex] = {}


def index_for(framework: Framework) -> CompetencyIndex:
    """The index of ``framework``, kept in memory per process (keyed by content hash)."""
    key = (framework.info.id, framework.content_hash)
    if key not in _indexes:
        _indexes[key] = build_index(framework)
    return _indexes[key]
