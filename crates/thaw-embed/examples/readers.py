#!/usr/bin/env python3
"""Experiment only: compares readers of the risk check's sentences on the rows that
`cargo run -p thaw-embed --example dump --release -- DIR` writes ("Read in its text" in
docs/SAFETY.md). Needs numpy and scikit-learn (a virtual environment will do):

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install numpy scikit-learn
    /tmp/venv/bin/python crates/thaw-embed/examples/readers.py DIR

Each reader is a class-weighted logistic regression on standardised features (a stand-in for the
shipped trainer, without its sign constraints). Each of the ten dev files (writers) is held out in
turn, its sentences' neighbour features computed without that file; then trained on all of dev and
read on the blind sets (fresh to fresh6; test is left out: the team wrote it). A case scores its
highest sentence, and is flagged when the phrase layer flags it or the score reaches the threshold.
Printed: precision on the held-out writers at 85% and 90% recall, and at the threshold that gives
that recall there, the blind sets' recall and precision."""
import sys
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

DIR = sys.argv[1] if len(sys.argv) > 1 else "/tmp/dump"
N, DIM = 27, 384
D = 2 * N + 8 * DIM
X = np.fromfile(f"{DIR}/x.f32", dtype="<f4").reshape(-1, D)
rows = [l.rstrip("\n").split("\t") for l in open(f"{DIR}/rows.tsv")]
cases = [l.rstrip("\n").split("\t") for l in open(f"{DIR}/cases.tsv")]
kind = np.array([r[0] for r in rows])
rcase = np.array([int(r[1]) for r in rows])
ry = np.array([int(r[3]) for r in rows])
rtrain = np.array([int(r[4]) for r in rows]) == 1
cgroup = np.array([c[1] for c in cases])
cy = np.array([int(c[2]) for c in cases])
cphrase = np.array([int(c[3]) for c in cases]) == 1
isdev = np.array([g.startswith("dev") for g in cgroup])
blind = ~isdev & (cgroup != "test")
groups = sorted(set(cgroup[isdev]))
sent = kind == "s"
own, by_file = X[:, :N], X[:, N : 2 * N]
layer = [X[:, 2 * N + DIM * k : 2 * N + DIM * (k + 1)] for k in range(8)]  # 0-6 mean, 7 max of 6


def case_mean(m):
    """Each sentence's text: the mean of its case's sentences (an exemplar is its own text)."""
    total = np.zeros((len(cases), m.shape[1]))
    n = np.zeros(len(cases))
    np.add.at(total, rcase[sent], m[sent])
    np.add.at(n, rcase[sent], 1)
    out = m.copy()
    out[sent] = total[rcase[sent]] / n[rcase[sent], None]
    return out


deep = np.hstack(layer[1:7])
extra = {"context": case_mean(deep)}


def flagged(score, phrase, t):
    return phrase | (score >= t)


def rp(dec, y):
    tp = (dec & (y == 1)).sum()
    fp = (dec & (y == 0)).sum()
    return tp / (y == 1).sum(), tp / max(tp + fp, 1)


def at_recall(score, y, phrase, r):
    for t in np.unique(score)[::-1]:
        rec, prec = rp(flagged(score, phrase, t), y)
        if rec >= r:
            return prec, t
    return 0.0, 0.0


def fit(x, y, c=0.001, weight=1.5):
    sc = StandardScaler().fit(x)
    cw = {0: 1, 1: weight * (y == 0).sum() / (y == 1).sum()}
    lr = LogisticRegression(C=c, class_weight=cw, max_iter=3000).fit(sc.transform(x), y)
    return lambda z: lr.predict_proba(sc.transform(z))[:, 1]


def run(name, parts, c=0.001):
    def feats(named):
        return np.hstack([named] + [extra[p] if isinstance(p, str) else layer[p] for p in parts])

    xo, xg = feats(own), feats(by_file)
    oof = np.full(len(cases), -1.0)
    for g in groups:
        held = sent & (cgroup[rcase] == g)
        tr = (rtrain & sent & (cgroup[rcase] != g)) | (kind == "e")
        np.maximum.at(oof, rcase[held], fit(xo[tr], ry[tr], c)(xg[held]))
    m = fit(xo[(rtrain & sent) | (kind == "e")], ry[(rtrain & sent) | (kind == "e")], c)
    read = sent & blind[rcase]
    scores = np.full(len(cases), -1.0)
    np.maximum.at(scores, rcase[read], m(xo[read]))
    out = []
    for r in (0.85, 0.90):
        p, t = at_recall(oof[isdev], cy[isdev], cphrase[isdev], r)
        br, bp = rp(flagged(scores[blind], cphrase[blind], t), cy[blind])
        out.append(f"R{int(r * 100)}: writers held out P {p * 100:.1f}, blind {br * 100:.1f} / {bp * 100:.1f}")
    print(f"{name:34s} " + "  |  ".join(out), flush=True)


run("shipped before (vector, layers 1-5)", [6, 1, 2, 3, 4, 5])
run("+ layer 0", [6, 1, 2, 3, 4, 5, 0])
run("+ last layer max-pooled", [6, 1, 2, 3, 4, 5, 7])
run("+ its text (mean of layers 1-6)", [6, 1, 2, 3, 4, 5, "context"])
