"""A static sentence-embedding model distilled from all-MiniLM-L6-v2 (numpy only).

Every WordPiece token has a vector; a text's embedding is the weighted mean of its
tokens' vectors, L2-normalised. The vectors start as the full model's pooled embedding
of each token on its own (``scripts/build_static_embeddings.py``) and are then trained
(``scripts/train_static_embeddings.py``) so that the weighted mean of a text's tokens
points where MiniLM's embedding of the whole text points, and fine-tuned on ESCO's own
paraphrases (skills outside the benchmark's measurement and tuning buckets); they are
PCA-reduced and int8-quantised. Weights are inverse document frequencies over the
framework being searched, which keeps frequent pieces ("##s", "and") from dominating;
the trained vectors' lengths carry the rest of a token's importance.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt

from credstack.align.wordpiece import WordPiece

MODEL_NAME = "minilm-static.npz"
SPECIAL = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")

FloatMatrix = npt.NDArray[np.float32]


class StaticModel:
    """Token vectors and the tokenizer that produces their ids."""

    def __init__(self, vocab: list[str], vectors: FloatMatrix, model_id: str) -> None:
        self.vocab = vocab
        self.vectors = vectors
        self.model_id = model_id
        self.tokenizer = WordPiece(vocab)
        self.dimensions = int(vectors.shape[1])
        self.special = {self.tokenizer.ids[t] for t in SPECIAL if t in self.tokenizer.ids}

    @classmethod
    def load(cls, path: Path) -> StaticModel:
        """The model stored at ``path`` (int8 vectors with per-row scales)."""
        with np.load(path, allow_pickle=False) as stored:
            vocab = bytes(stored["vocab"]).decode("utf-8").split("\n")
            vectors = stored["vectors"].astype(np.float32) * stored["scales"][:, None]
            model_id = bytes(stored["model_id"]).decode()
        return cls(vocab, vectors.astype(np.float32), model_id)

    def token_ids(self, text: str) -> list[int]:
        """The known, non-special token ids of ``text``."""
        return [i for i in self.tokenizer.encode(text) if i >= 0 and i not in self.special]

    def idf(self, encoded: Sequence[Sequence[int]]) -> npt.NDArray[np.float32]:
        """Per-token inverse document frequency over encoded texts (unseen: the maximum)."""
        frequency = np.zeros(len(self.vocab), dtype=np.float32)
        for ids in encoded:
            frequency[list(set(ids))] += 1.0
        total = max(len(encoded), 1)
        result: npt.NDArray[np.float32] = np.log((total + 1.0) / (frequency + 1.0)) + 1.0
        return result.astype(np.float32)

    def embed(
        self, texts: Sequence[str], weights: npt.NDArray[np.float32] | None = None
    ) -> FloatMatrix:
        """One L2-normalised row per text (zeros for a text with no known token)."""
        return self.embed_ids([self.token_ids(text) for text in texts], weights)

    def embed_ids(
        self,
        encoded: Sequence[Sequence[int]],
        weights: npt.NDArray[np.float32] | None = None,
        chunk: int = 4096,
    ) -> FloatMatrix:
        """Embeddings of already-encoded texts: weighted token means, L2-normalised."""
        out = np.zeros((len(encoded), self.dimensions), dtype=np.float32)
        for start in range(0, len(encoded), chunk):
            part = encoded[start : start + chunk]
            lengths = np.fromiter((len(ids) for ids in part), dtype=np.int64, count=len(part))
            if not lengths.any():
                continue
            flat = np.fromiter((i for ids in part for i in ids), dtype=np.int64)
            token_weights = weights[flat] if weights is not None else np.ones(len(flat), np.float32)
            weighted = self.vectors[flat] * token_weights[:, None]
            # Weighted sum per text: tokens are laid out text by text, so one reduceat
            # over the start offsets of the non-empty texts sums each text's tokens.
            starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
            present = lengths > 0
            block = np.zeros((len(part), self.dimensions), dtype=np.float32)
            block[present] = np.add.reduceat(weighted, starts[present], axis=0)
            out[start : start + len(part)] = block
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out


@lru_cache(maxsize=1)
def default_model() -> StaticModel:
    """The model shipped in credstack (loaded once per process)."""
    path = Path(str(resources.files("credstack.align") / "data" / MODEL_NAME))
    return StaticModel.load(path)
