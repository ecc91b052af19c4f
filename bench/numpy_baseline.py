"""numpy baselines for scripts/bench.sh: the seed's training loop, and a textbook full BPTT.

Both are our own numpy code. The seed's loop is reproduced in the work it does, not in its
text: a cell object whose forward call remembers its inputs and pre-activation, whose backward
call recomputes tanh and also forms the two input-side products the seed computes but never
reads, and an update call. Each case is timed for about a second, three times, and the median
reported. Prints one JSON object per line: {"case": ..., "epochs_per_s": ...}.
"""
import json
import sys
import time

import numpy as np


class CellLikeTheSeeds:
    """One recurrent cell doing, call for call, the work of the seed's cell class."""

    def __init__(self, rng, n_in, n_hidden):
        self.w_in = rng.standard_normal((n_hidden, n_in))
        self.w_rec = rng.standard_normal((n_hidden, n_hidden))
        self.bias = np.zeros((n_hidden, 1))

    def step(self, inp, prev):
        self.inp, self.prev = inp, prev
        self.pre = np.dot(self.w_in, inp) + np.dot(self.w_rec, prev) + self.bias
        self.out = np.tanh(self.pre)
        return self.out

    def back(self, grad_out):
        slope = 1 - np.tanh(self.pre) ** 2
        grad_pre = grad_out * slope
        self.grad_bias = np.sum(grad_pre, axis=1, keepdims=True)
        self.grad_rec = np.dot(grad_pre, self.prev.T)
        self.grad_in = np.dot(grad_pre, self.inp.T)
        # Formed and returned, never used: the seed does the same.
        return np.dot(self.w_rec.T, grad_pre), np.dot(self.w_in.T, grad_pre)

    def descend(self, rate):
        self.w_in -= rate * self.grad_in
        self.w_rec -= rate * self.grad_rec
        self.bias -= rate * self.grad_bias


def seed_loop_epochs_per_s(T=10, D=5, H=10, lr=0.01, seconds=1.0):
    """The seed's training loop (h carried across epochs, gradient 2 (h - y) through the last
    step only, every loss kept in a list), without its per-epoch print and its plots."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((T, D))
    y = rng.standard_normal((H, 1))
    cell = CellLikeTheSeeds(rng, D, H)
    h = np.zeros((H, 1))
    losses = []
    epochs = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for row in X:
            h = cell.step(row[:, np.newaxis], h)
        losses.append(np.mean((h - y) ** 2))
        cell.back(2 * (h - y))
        cell.descend(lr)
        epochs += 1
    return epochs / (time.perf_counter() - start), float(losses[-1])


def bptt_epochs_per_s(T=100, D=32, H=128, lr=0.01, seconds=2.0):
    """Textbook BPTT: h0 = 0 each epoch, exact gradient of mean((h_T - y)^2) through all T."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((T, D))
    y = rng.standard_normal(H)
    Wx = rng.standard_normal((H, D))
    Wh = rng.standard_normal((H, H))
    b = np.zeros(H)
    epochs = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        hs = [np.zeros(H)]
        for t in range(T):
            hs.append(np.tanh(Wx @ X[t] + Wh @ hs[-1] + b))
        loss = np.mean((hs[-1] - y) ** 2)
        dh = 2 * (hs[-1] - y) / H
        dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
        for t in reversed(range(T)):
            da = dh * (1 - hs[t + 1] ** 2)
            dWx += np.outer(da, X[t])
            dWh += np.outer(da, hs[t])
            db += da
            dh = Wh.T @ da
        Wx -= lr * dWx
        Wh -= lr * dWh
        b -= lr * db
        epochs += 1
    return epochs / (time.perf_counter() - start), float(loss)


if __name__ == "__main__":
    for name, fn in [("numpy_seed_10_5_10", seed_loop_epochs_per_s), ("numpy_bptt_100_32_128", bptt_epochs_per_s)]:
        if len(sys.argv) > 1 and not any(a in name for a in sys.argv[1:]):
            continue
        runs = sorted(fn()[0] for _ in range(3))
        print(json.dumps({"case": name, "epochs_per_s": round(runs[1], 1)}))
