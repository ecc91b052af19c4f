"""numpy baselines for scripts/bench.sh: the seed's training loop, and a textbook full BPTT.

The seed's loop is its own code (cell class and all); the BPTT is written plainly, the way a
learner would. Each is timed for about a second, three times, and the median reported.
Prints one JSON object per line: {"case": ..., "epochs_per_s": ...}.
"""
import json
import sys
import time

import numpy as np


class SeedCell:
    """The seed's SimpleRNNCell, as it stands: forward keeps x, h_prev and a; backward
    recomputes tanh(a) and also computes dx and dh_prev (which the seed never uses)."""

    def __init__(self, rng, input_size, hidden_size):
        self.Wx = rng.standard_normal((hidden_size, input_size))
        self.Wh = rng.standard_normal((hidden_size, hidden_size))
        self.b = np.zeros((hidden_size, 1))

    def forward(self, x, h_prev):
        self.x = x
        self.h_prev = h_prev
        self.a = np.dot(self.Wx, x) + np.dot(self.Wh, h_prev) + self.b
        self.h = np.tanh(self.a)
        return self.h

    def backward(self, dh_next):
        da = dh_next * (1 - np.tanh(self.a) ** 2)
        self.db = np.sum(da, axis=1, keepdims=True)
        self.dWh = np.dot(da, self.h_prev.T)
        self.dWx = np.dot(da, self.x.T)
        self.dx = np.dot(self.Wh.T, da)
        self.dh_prev = np.dot(self.Wx.T, da)
        return self.dx, self.dh_prev

    def update_parameters(self, learning_rate):
        self.Wx -= learning_rate * self.dWx
        self.Wh -= learning_rate * self.dWh
        self.b -= learning_rate * self.db


def seed_loop_epochs_per_s(T=10, D=5, H=10, lr=0.01, seconds=1.0):
    """The seed's training loop line for line (h carried across epochs, gradient 2 (h - y)
    through the last step only), without its per-epoch print and its plots."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((T, D))
    y = rng.standard_normal((H, 1))
    cell = SeedCell(rng, D, H)
    h_t = np.zeros((H, 1))
    loss_list = []
    epochs = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for t in range(T):
            x_t = X[t, :].reshape(-1, 1)
            h_t = cell.forward(x_t, h_t)
        loss = np.mean((h_t - y) ** 2)
        loss_list.append(loss)
        dh_next = 2 * (h_t - y)
        dx, dh_prev = cell.backward(dh_next)
        cell.update_parameters(lr)
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
