#!/usr/bin/env python3
"""Fit careersbot's confidence model (intents/data/confidence.yaml).

The model is a logistic regression: the probability that an answer is right
given the named features the engine computes for it (intents/confidence.go).
Its training data is what `careersbot eval --threshold 0 --features FILE`
writes: one row per case with its features, whether the candidate answer
passed and whether the case expects an answer at all.

The label is, by default, "answerable": whether the pages answer the
question (the case expects an answer). Answering exactly when that is
likelier than not is what serves a user best: a wrong sentence from the
right page is still a pointer to the right page, while an answer to a
question the pages do not cover is a confident invention. --label passed
fits the probability that the quoted answer is right instead.

Usage:
  tools/fitconfidence.py [--l2 0.5] [--write intents/data/confidence.yaml] FEATURES.tsv...

Only the Python standard library is used. The fit is deterministic
(Newton's method on the L2-penalised log likelihood), so the same files give
the same weights.
"""
import argparse
import math
import sys


def read(paths, label):
    names, rows = None, []
    for p in paths:
        with open(p) as f:
            header = f.readline().rstrip("\n").split("\t")
            cols = header[4:]
            li = header.index(label)
            if names is None:
                names = cols
            elif cols != names:
                sys.exit(f"{p}: features {cols} differ from {names}")
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) != len(header):
                    continue
                rows.append((int(parts[li]), [float(x) for x in parts[4:]]))
    if not rows:
        sys.exit("no rows")
    return names, rows


def solve(a, b):
    """Solve a x = b by Gaussian elimination with partial pivoting."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        if abs(m[c][c]) < 1e-12:
            continue
        for r in range(n):
            if r != c:
                k = m[r][c] / m[c][c]
                for j in range(c, n + 1):
                    m[r][j] -= k * m[c][j]
    return [m[i][n] / m[i][i] if abs(m[i][i]) > 1e-12 else 0.0 for i in range(n)]


def fit(rows, k, l2, iters=50):
    w = [0.0] * (k + 1)  # bias first
    for _ in range(iters):
        grad = [0.0] * (k + 1)
        hess = [[0.0] * (k + 1) for _ in range(k + 1)]
        for y, x in rows:
            xs = [1.0] + x
            z = sum(wi * xi for wi, xi in zip(w, xs))
            p = 1 / (1 + math.exp(-max(-30, min(30, z))))
            for i in range(k + 1):
                grad[i] += (y - p) * xs[i]
                for j in range(k + 1):
                    hess[i][j] += p * (1 - p) * xs[i] * xs[j]
        for i in range(1, k + 1):  # the bias is not penalised
            grad[i] -= l2 * w[i]
            hess[i][i] += l2
        step = solve(hess, grad)
        w = [wi + si for wi, si in zip(w, step)]
        if max(abs(s) for s in step) < 1e-8:
            break
    return w


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+")
    ap.add_argument("--l2", type=float, default=0.5, help="L2 penalty on the weights")
    ap.add_argument("--write", help="write the model as YAML to this file")
    ap.add_argument("--label", choices=["answerable", "passed"], default="answerable")
    a = ap.parse_args()
    names, rows = read(a.files, a.label)
    w = fit(rows, len(names), a.l2)
    right = sum(1 for y, x in rows if (sum(wi * xi for wi, xi in zip(w, [1.0] + x)) > 0) == (y == 1))
    print(f"{len(rows)} rows, {sum(y for y, _ in rows)} labelled 1 ({a.label}); "
          f"the fitted model agrees with {right} ({100 * right / len(rows):.1f}%) at 0.5")
    out = [f"# Confidence model: the probability that a question is {a.label} is",
           "# 1 / (1 + exp(-(bias + sum of weight * feature))). The features are",
           "# described in intents/confidence.go (featureNames). Fitted by",
           "# tools/fitconfidence.py from `careersbot eval --threshold 0 --features`",
           "# on the public and the project's own evaluation sets (docs/engine.md).",
           f"bias: {w[0]:.3f}", "weights:"]
    out += [f"  {n}: {wi:.3f}" for n, wi in zip(names, w[1:])]
    text = "\n".join(out) + "\n"
    print(text, end="")
    if a.write:
        with open(a.write, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
