"""numpy baselines for scripts/bench.sh: the seed's training loop, and a textbook full BPTT.

Both are written plainly, the way a learner would, and timed for about a second each.
Prints one JSON object per line: {"case": ..., "epochs_per_s": ...}.
"""
import json
import sys
import time

import numpy as np


def seed_loop_epochs_per_s(T=10, D=5, H=10, lr=0.01, seconds=1.0):
    """The seed's loop: h carried across epochs, gradient 2 (h - y) through the last step only."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((T, D))
    y = rng.standard_normal((H, 1))
    Wx = rng.standard_normal((H, D))
    Wh = rng.standard_normal((H, H))
    b = np.zeros((H, 1))
    h = np.zeros((H, 1))
    epochs = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for t in range(T):
            x = X[t, :].reshape(-1, 1)
            h_prev = h
            a = np.dot(Wx, x) + np.dot(Wh, h_prev) + b
            h = np.tanh(a)
        loss = np.mean((h - y) ** 2)
        dh = 2 * (h - y)
        da = dh * (1 - np.tanh(a) ** 2)
        db = np.sum(da, axis=1, keepdims=True)
        dWh = np.dot(da, h_prev.T)
        dWx = np.dot(da, x.T)
        Wx -= lr * dWx
        Wh -= lr * dWh
        b -= lr * db
        epochs += 1
    return epochs / (time.perf_counter() - start), float(loss)


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
