// Derivative checks: checkGrad compares jvp/vjp with central differences in random directions (any order), and
// numericalGrad computes a gradient by finite differences.
import { asTensor, describeValue } from "../core/convert.js";
import { Tensor } from "../core/tensor.js";
import { GradError } from "../tensor/errors.js";
import { treeFlatten, treeMap } from "../tree.js";
import { rng, type Rng } from "../ops/create.js";
import { add, mul, sub, div } from "../ops/binary.js";
import { jvp, vjp } from "./transforms.js";
import { checkGradBundle } from "../display/check_grad.js";

/** Options of `checkGrad`. */
export interface CheckGradOptions {
  /** Highest derivative order to check (default 2). */
  order?: number;
  /** Which modes: forward (jvp) and/or reverse (vjp); default both. */
  modes?: readonly ("fwd" | "rev")[];
  /** Finite-difference step (default 1e-5 in float64, 1e-3 in float32). */
  eps?: number;
  /** Absolute tolerance (default 1e-6 in float64, 1e-2 in float32). */
  atol?: number;
  /** Relative tolerance (default 1e-5 in float64, 1e-2 in float32). */
  rtol?: number;
  /** Seed of the random directions (default 0). */
  seed?: number;
}

/** One comparison of an analytic directional derivative with its finite-difference estimate. */
export interface CheckRow {
  mode: "fwd" | "rev";
  order: number;
  /** Largest |analytic - numeric| over all output elements. */
  error: number;
  /** The tolerance it was held to: atol + rtol * max |numeric|. */
  tolerance: number;
  /** max |numeric| (scale of the compared values). */
  scale: number;
  /** The analytic directional derivative (fwd: J v, all output elements; rev: <J^T ct, v>). */
  analytic: number | Float64Array;
  /** Its central-difference estimate (fwd: (f(x + eps v) - f(x - eps v)) / 2 eps; rev: <ct, that>). */
  numerical: number | Float64Array;
  ok: boolean;
}

type Fn = (...args: any[]) => any;

/** Result of `checkGrad`: `ok`, the rows, a table display, and `assert()` to throw when a check failed. */
export class CheckGradReport {
  constructor(readonly rows: readonly CheckRow[]) {}

  /** True when every row passed. */
  get ok(): boolean {
    return this.rows.every((r) => r.ok);
  }

  /** Throws a GradError listing the rows when any check failed; returns the report otherwise. */
  assert(): this {
    if (!this.ok) throw new GradError(`checkGrad: derivative mismatch\n${this.toString()}`);
    return this;
  }

  /** Plain-text table. */
  toString(): string {
    const lines = this.rows.map((r) =>
      `${r.mode.padEnd(4)} ${String(r.order).padStart(5)}  ${r.error.toExponential(2).padStart(9)}  ` +
      `${r.tolerance.toExponential(2).padStart(9)}  ${r.ok ? "ok" : "FAIL"}`);
    return ["mode order      error  tolerance  result", ...lines].join("\n");
  }

  /** Jupyter display: the table built by lib/display (analytic vs numerical, errors, failures marked). */
  [Symbol.for("Jupyter.display")](): Record<string, unknown> {
    return checkGradBundle(this) as Record<string, unknown>;
  }
}

interface Tolerances {
  eps: number;
  atol: number;
  rtol: number;
}

function leavesOf(tree: unknown, what: string): Tensor[] {
  return treeFlatten(tree, "checkGrad", what)[0].map((l) => asTensor(l));
}

function randomLike(tree: unknown, r: Rng): unknown {
  return treeMap((leaf: Tensor | number) => {
    const t = asTensor(leaf);
    return r.normal(t.shape as number[], { dtype: t.dtype });
  }, tree);
}

/** Evaluates f at args + s * dirs (leaf-wise). */
function shifted(f: Fn, args: readonly unknown[], dirs: readonly unknown[], s: number): Tensor[] {
  const moved = args.map((a, k) => treeMap((x: Tensor | number, d: Tensor) => add(x, mul(d, s)), a, dirs[k]));
  return leavesOf(f(...moved), "output of f");
}

/** Central-difference directional derivative of every output leaf of f. */
function numericJvp(f: Fn, args: readonly unknown[], dirs: readonly unknown[], eps: number): Tensor[] {
  const plus = shifted(f, args, dirs, eps);
  const minus = shifted(f, args, dirs, -eps);
  return plus.map((p, i) => div(sub(p, minus[i]!), 2 * eps));
}

function compare(mode: "fwd" | "rev", order: number, analytic: Tensor[], numeric: Tensor[], tol: Tolerances): CheckRow {
  let error = 0;
  let scale = 0;
  analytic.forEach((a, i) => {
    const n = numeric[i]!;
    for (let j = 0; j < n.size; j++) {
      const d = Math.abs(a.data[j]! - n.data[j]!);
      error = Math.max(error, Number.isNaN(d) ? Infinity : d);
      scale = Math.max(scale, Math.abs(n.data[j]!));
    }
  });
  const tolerance = tol.atol + tol.rtol * scale;
  const flat = (ts: Tensor[]): number | Float64Array => {
    const all = Float64Array.from(ts.flatMap((t) => Array.from(t.data)));
    return mode === "rev" && all.length === 1 ? all[0]! : all;
  };
  return { mode, order, error, tolerance, scale, analytic: flat(analytic), numerical: flat(numeric), ok: error <= tolerance };
}

function dotTrees(a: unknown, b: unknown): number {
  const la = leavesOf(a, "value");
  const lb = leavesOf(b, "value");
  let s = 0;
  la.forEach((x, i) => {
    const y = lb[i]!;
    for (let j = 0; j < x.size; j++) s += x.data[j]! * y.data[j]!;
  });
  return s;
}

/** Checks one mode at `level`, then (for order > 1) the same mode on the derivative function itself. */
function checkMode(mode: "fwd" | "rev", f: Fn, args: readonly unknown[], order: number, level: number,
  tol: Tolerances, r: Rng, rows: CheckRow[]): void {
  const dirs = args.map((a) => randomLike(a, r));
  const numeric = numericJvp(f, args, dirs, tol.eps);
  if (mode === "fwd") {
    const [, tangent] = jvp(f, args, dirs);
    rows.push(compare("fwd", level, leavesOf(tangent, "tangent"), numeric, tol));
    if (order > 1) checkMode(mode, (...xs: unknown[]) => jvp(f, xs, dirs)[1], args, order - 1, level + 1, tol, r, rows);
    return;
  }
  const [out, pullback] = vjp(f, ...args);
  const ct = randomLike(out, r);
  // <ct, J v> estimated numerically vs <J^T ct, v> from the vjp.
  const lhs = dotTrees(leavesOf(ct, "cotangent"), numeric);
  const rhs = dotTrees(pullback(ct), dirs);
  rows.push(compare("rev", level, [asTensor(rhs)], [asTensor(lhs)], tol));
  if (order > 1) checkMode(mode, (...xs: unknown[]) => vjp(f, ...xs)[1](ct), args, order - 1, level + 1, tol, r, rows);
}

/**
 * Checks f's derivatives against central finite differences in random directions, in forward (`jvp`) and reverse
 * (`vjp`) mode, up to `order` (default 2). Arguments may be tensors, numbers or trees; use float64 for tight checks.
 * Returns a report (`ok`, `rows`, a table display); call `.assert()` to throw on a mismatch.
 */
export function checkGrad(f: Fn, args: readonly unknown[], options: CheckGradOptions = {}): CheckGradReport {
  if (!Array.isArray(args)) throw new GradError(`checkGrad: args must be an array of arguments, got ${describeValue(args)}`);
  const order = options.order ?? 2;
  if (!Number.isInteger(order) || order < 1) throw new GradError(`checkGrad: order must be a positive integer, got ${order}`);
  const modes = options.modes ?? ["fwd", "rev"];
  const f32 = args.some((a) => treeFlatten(a, "checkGrad", "argument")[0].some((l) => l instanceof Tensor && l.dtype === "float32"));
  const tol: Tolerances = {
    eps: options.eps ?? (f32 ? 1e-3 : 1e-5),
    atol: options.atol ?? (f32 ? 1e-2 : 1e-6),
    rtol: options.rtol ?? (f32 ? 1e-2 : 1e-5),
  };
  const rows: CheckRow[] = [];
  const r = rng(options.seed ?? 0);
  for (const mode of modes) checkMode(mode, f, args, order, 1, tol, r, rows);
  return new CheckGradReport(rows);
}

/** Options of `numericalGrad`. */
export interface NumericalGradOptions {
  /** Step (default 1e-6 central, 1e-7 forward, scaled by max(1, |x_i|)). */
  eps?: number;
  /** "central" (default, error O(eps^2)) or "forward" (O(eps), one evaluation per element fewer). */
  method?: "central" | "forward";
}

/** Gradient of scalar f at x by finite differences, element by element: the reference the autodiff is checked against. */
export function numericalGrad(f: (x: Tensor) => Tensor | number, x: Tensor | number, options: NumericalGradOptions = {}): Tensor {
  const t = asTensor(x);
  const method = options.method ?? "central";
  const base = options.eps ?? (method === "central" ? 1e-6 : 1e-7);
  const value = (v: Tensor): number => {
    const y = f(v);
    const s = typeof y === "number" ? y : y instanceof Tensor && y.size === 1 ? y.data[0]! : NaN;
    if (Number.isNaN(s) && !(typeof y === "number" || y instanceof Tensor)) {
      throw new GradError(`numericalGrad: f must return a scalar, got ${describeValue(y)}`);
    }
    if (y instanceof Tensor && y.size !== 1) throw new GradError(`numericalGrad: f must return a scalar, got ${y.size} elements`);
    return s;
  };
  const f0 = method === "forward" ? value(t) : 0;
  const g = new Float64Array(t.size);
  for (let i = 0; i < t.size; i++) {
    const h = base * Math.max(1, Math.abs(t.data[i]!));
    const at = (delta: number): Tensor => {
      const d = t.data.slice();
      d[i] = d[i]! + delta;
      return new Tensor(d, t.shape, t.dtype);
    };
    g[i] = method === "central" ? (value(at(h)) - value(at(-h))) / (2 * h) : (value(at(h)) - f0) / h;
  }
  return tensorFrom(g, t);
}

function tensorFrom(g: Float64Array, like: Tensor): Tensor {
  const data = like.dtype === "float32" ? Float32Array.from(g) : g;
  return new Tensor(data, like.shape, like.dtype);
}
