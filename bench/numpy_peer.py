# numpy as a peer of the library benchmark (bench/lib.ts): its workloads on the same inputs, timed in this process.
# Protocol: one JSON request per stdin line, one JSON reply per stdout line. Inputs are float64 files in the folder given
# as the first argument (written by bench/numpy_peer.ts). Gradients are written out by hand: numpy has no autodiff.
import json
import os
import sys
import time

import numpy as np

DIR = sys.argv[1]
BATCH, IN, HID, OUT = 128, 784, 256, 10
prepared = {}


def load(name):
    return np.fromfile(os.path.join(DIR, name + ".f64"), dtype=np.float64)


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class Mlp:
    """784-256-10 ReLU MLP, softmax cross-entropy, Adam (lr 1e-3): forward, backward and update as numpy code."""

    def __init__(self, dt):
        f = lambda a, shape: load(a).astype(dt).reshape(shape)
        self.x = f("mlpX", (BATCH, IN))
        self.y = load("mlpLabels").astype(np.int64)
        self.rows = np.arange(BATCH)
        self.params = [f("mlpW1", (IN, HID)), np.zeros(HID, dt), f("mlpW2", (HID, OUT)), np.zeros(OUT, dt)]
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.t = 0
        self.loss = float("nan")

    def step(self):
        w1, b1, w2, b2 = self.params
        h = self.x @ w1 + b1
        r = np.maximum(h, 0)
        z = r @ w2 + b2
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        p = e / e.sum(axis=1, keepdims=True)
        self.loss = float(-np.log(p[self.rows, self.y]).mean())
        p[self.rows, self.y] -= 1
        dz = p / BATCH
        dh = (dz @ w2.T) * (h > 0)
        grads = [self.x.T @ dh, dh.sum(axis=0), r.T @ dz, dz.sum(axis=0)]
        self.t += 1
        c1, c2 = 1 - 0.9 ** self.t, 1 - 0.999 ** self.t
        for param, g, m, v in zip(self.params, grads, self.m, self.v):
            m *= 0.9
            m += 0.1 * g
            v *= 0.999
            v += 0.001 * (g * g)
            param -= 1e-3 * (m / c1) / (np.sqrt(v / c2) + 1e-8)
        return self.loss


def prepare(req):
    """A workload: (run, check); check gives a number the benchmark compares with its plain-JS oracle."""
    op, dt = req["op"], np.dtype(req.get("dtype", "float64"))
    if op == "matmul":
        n = req["n"]
        a = load(f"mmA{n}").astype(dt).reshape(n, n)
        b = load(f"mmB{n}").astype(dt).reshape(n, n)
        out = {}

        def run():
            out["c"] = a @ b
        return run, lambda: float(out["c"][3, 5])
    if op in ("bcastForward", "bcastGrad"):
        a = load("bcA").astype(dt).reshape(1000, 1000)
        b = load("bcB").astype(dt)
        out = {}
        if op == "bcastForward":
            def run():
                out["s"] = float(np.exp(a + b).sum())
            return run, lambda: out["s"]

        def run():
            e = np.exp(a + b)
            out["s"] = float(e.sum())
            out["ga"] = e  # d/dA sum(exp(A + b)) = exp(A + b)
            out["gb"] = e.sum(axis=0)
        return run, lambda: float(out["gb"].sum())
    if op == "mul":
        x = load("mulX").astype(dt)
        out = {}

        def run():
            out["y"] = x * x
        return run, lambda: float(out["y"][12345])
    if op == "tanh":
        x = load("mulX")[:1_000_000].astype(dt)
        out = {}

        def run():
            out["y"] = np.tanh(x)
        return run, lambda: float(out["y"][12345])
    if op == "mlp":
        model = Mlp(dt)
        return model.step, lambda: model.loss
    raise ValueError(f"unknown workload {op}")


def timed(req):
    key = json.dumps({k: v for k, v in req.items() if k != "turnMs"}, sort_keys=True)
    if key not in prepared:
        prepared[key] = prepare(req)
    run, check = prepared[key]
    times = []
    start = time.perf_counter()
    while not times or (time.perf_counter() - start) * 1000 < req["turnMs"]:
        t0 = time.perf_counter()
        run()
        times.append((time.perf_counter() - t0) * 1000)
    return {"times": times, "check": check()}


def mlp_rss(req):
    model = Mlp(np.dtype(req["dtype"]))
    rss = {}
    for step in range(1, req["steps"] + 1):
        model.step()
        if step in (100, req["steps"]):
            rss[str(step)] = rss_bytes()
    return {"rss": rss, "check": model.loss}


def main():
    print(json.dumps({"ready": True, "numpy": np.__version__, "python": sys.executable}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        try:
            reply = mlp_rss(req) if req["op"] == "mlpRss" else timed(req)
        except Exception as err:  # the benchmark shows the error in the peer's cell and goes on
            reply = {"error": f"{type(err).__name__}: {err}"}
        print(json.dumps(reply), flush=True)


main()
