"""numpy reference for gradlab's differential tests: reads JSON-line batches of cases on stdin, writes one JSON line of
results per batch. Values travel as base64 float64 (exact for float32 too). Each forward result carries `allowed`,
the absolute error gradlab may differ by per element (NaN: that element depends on summation order, not compared)."""
import base64
import json
import math
import sys

import numpy as np


def dec(s):
    return np.frombuffer(base64.b64decode(s), dtype="<f8")


def enc(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f8").tobytes()).decode("ascii")


def operand(o, data=None):
    dt = np.dtype(o["dtype"])
    v = dec(o["data"]) if data is None else data
    kind = o["kind"]
    if kind in ("lazy",):
        return np.full(o["shape"], v[0], dtype=dt)
    if kind in ("scalar", "number"):
        return np.asarray(v[0], dtype=dt)
    base = v.astype(dt).reshape(o["base"])
    if kind == "tensor":
        return base
    if kind == "transposed":
        return np.transpose(base, o["perm"])
    if kind == "sliced":
        return base[tuple(slice(a, b, c) for a, b, c in o["ranges"])]
    if kind == "broadcast":
        return np.broadcast_to(base, o["shape"])
    raise ValueError("unknown operand kind " + kind)


def axes_of(p, ndim):
    a = p.get("axis")
    if a is None:
        return tuple(range(ndim))
    lst = [a] if isinstance(a, int) else a
    out = []
    for x in lst:
        if x < -ndim or x >= ndim:
            raise ValueError("axis out of bounds")
        out.append(x % ndim)
    if len(set(out)) != len(out):
        raise ValueError("repeated axis")
    return tuple(sorted(out))


def growth(n):
    """Error bound of a floating-point sum of n terms, in units of eps times the sum of magnitudes: the worst case n,
    which equal terms summed in order do reach (a typical-case sqrt(n) flags correct sums of constants)."""
    return float(max(int(n), 1) + 1)


def count(x, axes):
    c = 1
    for a in axes:
        c *= x.shape[a]
    return c


def sum_mask(mag, dt):
    """Sums whose terms could overflow part-way depend on the order of summation: not compared."""
    return np.where(mag > np.finfo(dt).max / 4, np.nan, 0.0)


TRANSCENDENTAL = {"exp": np.exp, "log": np.log, "log1p": np.log1p, "sin": np.sin, "cos": np.cos, "tan": np.tan, "tanh": np.tanh}
EXACT_UNARY = {"stopGradient": np.asarray, "neg": np.negative, "abs": np.abs, "sign": np.sign, "sqrt": np.sqrt, "square": np.square}
COMPARE = {"greater": np.greater, "less": np.less, "equal": np.equal}
EXACT_BINARY = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.divide, "maximum": np.maximum, "minimum": np.minimum}


def compute(op, dtype, xs, p):
    """numpy's answer and the allowed absolute error per element. Inputs have the case's dtype; arithmetic stays in it."""
    dt = np.dtype(dtype)
    eps = float(np.finfo(dt).eps)
    tiny = float(np.finfo(dt).tiny) * eps  # one subnormal step
    x = xs[0]
    zero = lambda r: np.zeros(np.shape(r))
    rel = lambda r, k: k * eps * np.abs(np.asarray(r, dtype=np.float64)) + k * tiny
    if op in EXACT_UNARY:
        r = EXACT_UNARY[op](x)
        return r, zero(r)
    if op == "relu":
        # NaN propagates, as in numpy's maximum.
        r = np.where(np.isnan(x), x, np.maximum(x, dt.type(0)))
        return r.astype(dt), zero(r)
    if op == "leakyRelu":
        alpha = np.asarray(p.get("alpha", 0.01), dtype=dt)
        r = np.where(x > 0, x, x * alpha)
        return r.astype(dt), zero(r)
    if op in TRANSCENDENTAL:
        r = TRANSCENDENTAL[op](x)
        return r, rel(r, 4)
    x64 = np.asarray(x, dtype=np.float64)
    # numpy has no sigmoid, softplus or gelu: their formulas are evaluated in float64 and rounded once to the dtype.
    # gelu is the tanh approximation (gradlab's documented choice, jax.nn.gelu's default).
    if op == "sigmoid":
        r = np.where(x64 >= 0, 1 / (1 + np.exp(-np.abs(x64))), np.exp(-np.abs(x64)) / (1 + np.exp(-np.abs(x64))))
        r = r.astype(dt)
        return r, rel(r, 2)
    if op == "softplus":
        r = (np.maximum(x64, 0) + np.log1p(np.exp(-np.abs(x64)))).astype(dt)
        return r, rel(r, 2)
    if op == "gelu":
        r = (0.5 * x64 * (1 + np.tanh(math.sqrt(2 / math.pi) * (x64 + 0.044715 * x64 ** 3)))).astype(dt)
        return r, 8 * eps * (np.abs(r.astype(np.float64)) + np.abs(x64)) + 8 * tiny
    if op in EXACT_BINARY:
        r = EXACT_BINARY[op](xs[0], xs[1])
        return r, zero(r)
    if op in COMPARE:
        # gradlab convention: comparisons return 0/1 in the operands' dtype (numpy: bool).
        r = COMPARE[op](xs[0], xs[1]).astype(dt)
        return r, zero(r)
    if op == "pow":
        r = np.power(xs[0], xs[1])
        return r, rel(r, 4)
    if op == "where":
        # gradlab convention: the condition is a float tensor, nonzero (NaN included) selects a.
        c, a, b = xs
        r = np.where(c != 0, a, b).astype(dt)
        return r, zero(r)
    if op == "clip":
        r = np.minimum(np.maximum(xs[0], xs[1]), xs[2])
        return r, zero(r)
    if op in ("sum", "mean", "prod", "max", "min", "var", "std", "logsumexp", "norm"):
        return reduction(op, dt, eps, tiny, x, p)
    if op in ("argmax", "argmin"):
        # gradlab convention (docs/conventions.md): argmax/argmin return float64 indices.
        f = np.argmax if op == "argmax" else np.argmin
        r = f(x) if p.get("axis") is None else f(x, axis=p["axis"])
        r = np.asarray(r).astype(np.float64)
        return r, zero(r)
    if op in ("softmax", "logSoftmax"):
        a = p.get("axis", -1)
        m = np.max(x64, axis=a, keepdims=True)  # refuses an empty axis, like numpy's max
        m = np.where(np.isfinite(m), m, 0)
        e = np.exp(x64 - m)
        s = np.sum(e, axis=a, keepdims=True)
        n = x.shape[a]
        g = growth(n)
        if op == "softmax":
            r = (e / s).astype(dt)
            return r, (8 + g) * eps * np.abs(r.astype(np.float64)) * (2 + np.abs(x64 - m)) + 8 * tiny
        lse = np.log(s) + m
        r = (x64 - lse).astype(dt)
        return r, (8 + g) * eps * (np.abs(x64) + np.abs(lse) + 2) + 8 * tiny
    if op in ("matmul", "dot"):
        # gradlab's dot is matmul for every rank (documented); numpy.dot differs for N-D, so matmul is the reference.
        a, b = xs
        r = np.matmul(a.astype(np.float64), b.astype(np.float64)).astype(dt)
        mag = np.matmul(np.abs(a.astype(np.float64)), np.abs(b.astype(np.float64)))
        k = a.shape[-1]
        allowed = (growth(k) + 2) * eps * mag + 8 * tiny + sum_mask(mag, dt)
        return r, allowed
    if op == "outer":
        r = np.outer(xs[0], xs[1])
        return r, zero(r)
    return shape_op(op, dt, xs, p)


def reduction(op, dt, eps, tiny, x, p):
    axes = axes_of(p, x.ndim)
    kd = bool(p.get("keepdims", False))
    n = count(x, axes)
    g = growth(n)
    x64 = x.astype(np.float64)
    ax64 = np.abs(x64)
    if op in ("max", "min"):
        r = (np.max if op == "max" else np.min)(x, axis=axes, keepdims=kd)
        return r, np.zeros(np.shape(r))
    # Sums are referenced in float64 and rounded once to the dtype: numpy's own float32 sums along a strided axis
    # accumulate sequentially in float32, and their error would otherwise eat the tolerance meant for gradlab's.
    if op == "sum":
        r = np.sum(x64, axis=axes, keepdims=kd).astype(dt)
        mag = np.sum(ax64, axis=axes, keepdims=kd)
        return r, g * eps * mag + 4 * tiny + sum_mask(mag, dt)
    if op == "mean":
        r = (np.sum(x64, axis=axes, keepdims=kd) / n).astype(dt)
        mag = np.sum(ax64, axis=axes, keepdims=kd) / max(n, 1)
        return r, (g + 2) * eps * mag + 4 * tiny + sum_mask(mag * max(n, 1), dt)
    if op == "prod":
        r = np.prod(x, axis=axes, keepdims=kd)
        # Partial products that could overflow or underflow make the result depend on the order: not compared.
        with np.errstate(divide="ignore"):
            lg = np.log2(np.where(ax64 == 0, 1, ax64))
        hi = np.sum(np.where(lg > 0, lg, 0), axis=axes, keepdims=kd)
        lo = np.sum(np.where(lg < 0, lg, 0), axis=axes, keepdims=kd)
        fi = np.finfo(dt)
        risky = (hi > math.log2(float(fi.max)) - 2) | (lo < math.log2(float(fi.tiny)) + 2)
        return r, (n + 2) * eps * np.abs(r.astype(np.float64)) + 4 * tiny + np.where(risky, np.nan, 0.0)
    if op in ("var", "std"):
        ddof = int(p.get("ddof", 0))
        m = np.sum(x64, axis=axes, keepdims=True) / n
        c = x64 - m
        ss = np.sum(c * c, axis=axes, keepdims=kd)
        # numpy divides by max(n - ddof, 0).
        r = np.asarray(ss / max(n - ddof, 0), dtype=np.float64).astype(dt)
        scale = np.sum((ax64 + np.abs(m.astype(np.float64))) ** 2, axis=axes, keepdims=kd) / max(abs(n - ddof), 1)
        av = 4 * (g + 4) * eps * scale + 8 * tiny + sum_mask(np.sum(ax64, axis=axes, keepdims=kd) ** 2 + scale, dt)
        if op == "var":
            return r, av
        s = np.sqrt(r)
        s64 = np.abs(s.astype(np.float64))
        with np.errstate(divide="ignore", invalid="ignore"):
            a_std = np.minimum(np.sqrt(av), np.where(s64 > 0, av / s64, np.inf)) + 4 * eps * s64 + 8 * tiny
        return s, a_std
    if op == "logsumexp":
        m = np.max(x64, axis=axes, keepdims=True)  # refuses an empty reduction, as scipy.special.logsumexp does
        m = np.where(np.isfinite(m), m, 0)
        s = np.sum(np.exp(x64 - m), axis=axes, keepdims=True)
        r64 = np.log(s) + m
        mx = np.max(np.where(np.isfinite(x64), ax64, 0), axis=axes, keepdims=True) if n > 0 else np.zeros(m.shape)
        allowed = (g + 8) * eps * (np.abs(r64) + mx + 2) + 8 * tiny
        r = r64.astype(dt)
        if not kd:
            r = np.squeeze(r, axis=axes) if len(axes) else r
            allowed = np.squeeze(allowed, axis=axes) if len(axes) else allowed
        return r, allowed
    if op == "norm":
        # numpy.linalg.norm's vector norms written out (with a tuple axis it would compute a matrix norm instead).
        o = p.get("ord", 2)
        if o == 2:
            # The sum of squares is a tensor of x's dtype (as in numpy): a float32 sum past 3.4e38 is inf.
            s2 = np.sum(np.square(x).astype(np.float64), axis=axes, keepdims=kd).astype(dt).astype(np.float64)
            r = np.sqrt(s2).astype(dt)
            return r, (g + 4) * eps * np.abs(r.astype(np.float64)) + 4 * tiny
        if o == 1:
            r = np.sum(ax64, axis=axes, keepdims=kd).astype(dt)
            return r, g * eps * np.abs(r.astype(np.float64)) + 4 * tiny
        r = np.max(np.abs(x), axis=axes, keepdims=kd)
        return r, np.zeros(np.shape(r))
    raise ValueError("unknown reduction " + op)


def shape_op(op, dt, xs, p):
    x = xs[0]
    if op == "reshape":
        r = np.reshape(x, p["shape"])
    elif op == "transpose":
        r = np.transpose(x, p.get("axes"))
    elif op == "broadcastTo":
        if x.ndim > len(p["shape"]):
            raise ValueError("cannot broadcast")
        r = np.broadcast_to(x, p["shape"])
    elif op == "expandDims":
        r = np.expand_dims(x, p["axis"])
    elif op == "squeeze":
        ax = p.get("axis")
        r = np.squeeze(x, axis=None if ax is None else tuple(ax))
    elif op == "flatten":
        r = np.ravel(x)
    elif op == "slice":
        idx = []
        for s in p["specs"]:
            if s is None:
                idx.append(slice(None))
            elif isinstance(s, list):
                idx.append(slice(s[0], s[1], s[2]))
            else:
                idx.append(s)
        r = x[tuple(idx)]
    elif op == "take":
        ind = np.asarray(p["indices"], dtype=np.int64)
        r = np.take(x, ind, axis=p.get("axis"))
    elif op == "concat":
        r = np.concatenate(xs, axis=p["axis"])
    elif op == "stack":
        r = np.stack(xs, axis=p["axis"])
    elif op == "astype":
        r = x.astype(p["to"])
    else:
        raise ValueError("unknown op " + op)
    return np.asarray(r), np.zeros(np.shape(r))


def forward(c):
    xs = [operand(o) for o in c["inputs"]]
    r, allowed = compute(c["op"], c["dtype"], xs, c["params"])
    r = np.asarray(r)
    allowed = np.broadcast_to(np.asarray(allowed, dtype=np.float64), r.shape)
    return {"shape": list(r.shape), "dtype": str(r.dtype), "data": enc(r.astype(np.float64)), "allowed": enc(allowed)}


def evaluate(c, datas):
    xs = [operand(o, d) for o, d in zip(c["inputs"], datas)]
    r, _ = compute(c["op"], c["dtype"], xs, c["params"])
    return np.asarray(r, dtype=np.float64)


def directional(c):
    """Central differences of the case's function along the tangent, at h and h/2, combined by Richardson
    extrapolation; `unstable` marks a point where they or the one-sided slopes disagree (a kink or a near-singularity):
    such points are skipped, deliberately."""
    base = [dec(o["data"]) for o in c["inputs"]]
    tans = [dec(t) if t is not None else np.zeros_like(b) for t, b in zip(c["tangents"], base)]

    def f(h):
        return evaluate(c, [b + h * t for b, t in zip(base, tans)])

    h = 1e-3
    f0, fp, fm = f(0.0), f(h), f(-h)
    d1 = (fp - fm) / (2 * h)
    d2 = (f(h / 2) - f(-h / 2)) / h
    d = (4 * d2 - d1) / 3
    scale = max(float(np.max(np.abs(d), initial=0.0)), 1e-3)
    # A kink (ties of max/min, clip or relu at a bound) shows as one-sided slopes that disagree.
    onesided = float(np.max(np.abs((fp - f0) - (f0 - fm)), initial=0.0)) / h
    unstable = (not np.all(np.isfinite(d))) or float(np.max(np.abs(d1 - d2), initial=0.0)) > 1e-5 * scale or onesided > 5e-2 * scale
    return {"shape": list(d.shape), "data": enc(d), "unstable": bool(unstable)}


def answer(c, mode):
    try:
        return forward(c) if mode == "forward" else directional(c)
    except Exception as e:  # numpy refuses the input: gradlab must refuse it too
        return {"error": type(e).__name__ + ": " + str(e)}


def main():
    np.seterr(all="ignore")  # overflow, 0/0 and invalid operations give inf/NaN, which are compared like any value
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        out = [answer(c, req["mode"]) for c in req["cases"]]
        sys.stdout.write(json.dumps({"id": req["id"], "results": out}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
