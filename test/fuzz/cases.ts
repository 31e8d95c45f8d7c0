// Differential test cases: a seeded fast-check arbitrary drawing op, shapes, operand kinds and values, the gradlab
// expression of a case (also its one-line reproduction) and its evaluation through the public API.
import fc from "fast-check";
import * as gl from "../../lib/index.js";
import { seededUniform } from "../../bench/seeded.js";

export type DType = "float32" | "float64";
/** How an operand reaches the op: as a user would build it. */
export type OperandKind =
  | "tensor" // gl.tensor(nested values)
  | "lazy" // gl.full / gl.zeros / gl.ones (stored without data)
  | "scalar" // gl.scalar(v) (rank 0)
  | "number" // a plain JS number (rank 0, adopts the partner's dtype)
  | "transposed" // gl.transpose(base, perm)
  | "sliced" // gl.slice(base, ...ranges) with steps
  | "broadcast"; // gl.broadcastTo(base, shape)

export type Range = [number | null, number | null, number];
export type SliceSpec = number | Range | null;

export interface Operand {
  kind: OperandKind;
  /** The shape the op sees. */
  shape: number[];
  /** Shape of the stored values (`data`): the base of a transpose, slice or broadcast; `shape` otherwise. */
  base: number[];
  /** Row-major values of `base` (one value for lazy, scalar and number), exactly representable in the dtype. */
  data: Float64Array;
  dtype: DType;
  perm?: number[];
  ranges?: Range[];
}

export interface Case {
  op: string;
  dtype: DType;
  inputs: Operand[];
  /** Op parameters (axis, keepdims, shape, ...); numbers only, Infinity written as "inf". */
  params: Record<string, unknown>;
}

/** A computed result: shape, dtype and values widened to float64 (exact). */
export interface Outcome {
  shape: number[];
  dtype: string;
  data: Float64Array;
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((n, d) => n * d, 1);

// ---------------------------------------------------------------------------------------------------------------
// Op catalogue
// ---------------------------------------------------------------------------------------------------------------

export const UNARY = ["neg", "abs", "sign", "exp", "log", "log1p", "sqrt", "square", "sin", "cos", "tan", "tanh",
  "sigmoid", "relu", "softplus", "gelu", "leakyRelu", "stopGradient"] as const;
export const BINARY = ["add", "sub", "mul", "div", "pow", "maximum", "minimum", "greater", "less", "equal"] as const;
export const REDUCE = ["sum", "mean", "prod", "max", "min", "var", "std", "logsumexp", "norm"] as const;
export const ARG = ["argmax", "argmin"] as const;
export const SOFTMAX = ["softmax", "logSoftmax"] as const;
export const LINALG = ["matmul", "dot", "outer"] as const;
export const SHAPE_OPS = ["reshape", "transpose", "broadcastTo", "expandDims", "squeeze", "flatten", "slice", "take",
  "concat", "stack", "astype"] as const;
export const OTHER = ["where", "clip"] as const;

/** Ops without a derivative (comparisons, sign, arg-reductions): forward-only. */
export const NON_DIFFERENTIABLE = new Set<string>(["sign", "stopGradient", "greater", "less", "equal", "argmax", "argmin"]);

// ---------------------------------------------------------------------------------------------------------------
// Drawing: fast-check's `gen` hands out values from real arbitraries on demand; bulk values come from a small PRNG
// seeded by fast-check, so a case stays cheap to draw even with 100,000 elements.
// ---------------------------------------------------------------------------------------------------------------

type Gen = fc.GeneratorValue;

/**
 * Integers without fast-check's bias towards the ends of the range: the generator places edge cases (size-0 and size-1
 * axes, special values, threshold sizes) with explicit probabilities, which a biased draw would distort.
 */
const uniformInt = (min: number, max: number): fc.Arbitrary<number> => fc.noBias(fc.integer({ min, max }));

class Draw {
  constructor(private readonly g: Gen) {}
  int(min: number, max: number): number {
    return this.g(uniformInt, min, max);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)]!;
  }
  chance(p: number): boolean {
    return this.int(0, 9999) < p * 10000;
  }
  seed(): number {
    return this.int(0, 0x7fffffff);
  }
}

/** Value profiles: the kinds of numbers an operand holds. */
export type Profile = "normal" | "ints" | "special" | "wide" | "positive" | "grad" | "gradPositive" | "gradAwayFromZero";

const SPECIAL64 = [NaN, Infinity, -Infinity, 0, -0, 1e300, -1e300, 1.7976931348623157e308, 5e-324, -5e-324, 1e-310,
  2.2250738585072014e-308, 1, -1, 0.5];
const SPECIAL32 = [NaN, Infinity, -Infinity, 0, -0, 3e38, -3e38, 3.4028234663852886e38, 1.401298464324817e-45,
  -1.401298464324817e-45, 1e-40, 1.1754943508222875e-38, 1, -1, 0.5];

function valueOf(r: () => number, profile: Profile, dtype: DType): number {
  const f32 = dtype === "float32";
  let v: number;
  switch (profile) {
    case "normal": v = r() * 6 - 3; break;
    case "ints": v = Math.floor(r() * 7) - 3; break;
    case "positive": v = 0.05 + r() * 4; break;
    case "wide": {
      const e = f32 ? -44 + r() * 82 : -320 + r() * 627;
      v = (r() < 0.5 ? -1 : 1) * Math.pow(10, e);
      break;
    }
    case "special": {
      if (r() < 0.25) {
        const s = f32 ? SPECIAL32 : SPECIAL64;
        v = s[Math.floor(r() * s.length)]!;
      } else v = r() * 6 - 3;
      break;
    }
    // Points for derivative checks: smooth, moderate, and away from the kinks of relu/abs/max/clip.
    case "grad": v = r() * 4 - 2; break;
    case "gradPositive": v = 0.5 + r() * 2; break;
    case "gradAwayFromZero": v = (r() < 0.5 ? -1 : 1) * (0.5 + r() * 1.5); break;
  }
  return f32 ? Math.fround(v) : v;
}

export function fillValues(n: number, seed: number, profile: Profile, dtype: DType): Float64Array {
  const r = seededUniform(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = valueOf(r, profile, dtype);
  return out;
}

/** Draw context: the fast-check draws plus the case-wide choices. */
interface Ctx {
  d: Draw;
  dtype: DType;
  /** Forward cases see every operand kind and value profile; gradient cases smooth values in float64. */
  grad: boolean;
  profile: Profile;
}

function dim(ctx: Ctx): number {
  const d = ctx.d;
  if (!ctx.grad && d.chance(0.04)) return 0;
  if (d.chance(0.25)) return 1;
  return d.int(2, 5);
}

/** A shape of rank 0..5 with at most `max` elements (large dims are shrunk to keep cases small). */
function shapeOf(ctx: Ctx, minRank = 0, maxRank = 5, max = 96): number[] {
  const rank = ctx.d.int(minRank, maxRank);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(dim(ctx));
  for (let i = 0; sizeOf(shape) > max; i = (i + 1) % shape.length) if (shape[i]! > 1) shape[i] = shape[i]! - 1;
  return shape;
}

/** A shape that broadcasts to `out`: leading axes dropped, some axes set to 1. */
function broadcastingShapeFor(ctx: Ctx, out: readonly number[]): number[] {
  const drop = ctx.d.chance(0.3) ? ctx.d.int(0, out.length) : 0;
  return out.slice(drop).map((n) => (ctx.d.chance(0.35) ? 1 : n));
}

function profileFor(ctx: Ctx): Profile {
  if (ctx.grad) return ctx.profile;
  return ctx.d.chance(0.6) ? ctx.profile : ctx.d.pick<Profile>(["normal", "ints", "special", "wide", "positive"]);
}

/** An operand of `shape`; `allowNumber` for the spots where a plain JS number is accepted (binary-op operands). */
function operand(ctx: Ctx, shape: number[], opts: { allowNumber?: boolean; noViews?: boolean; profile?: Profile } = {}): Operand {
  const { d, dtype } = ctx;
  const profile = opts.profile ?? profileFor(ctx);
  const kinds: OperandKind[] = opts.noViews ? ["tensor", "tensor", "lazy", "broadcast"] : ["tensor", "tensor", "tensor", "lazy", "transposed", "sliced", "broadcast"];
  if (shape.length === 0) kinds.push("scalar", "scalar");
  if (shape.length === 0 && opts.allowNumber) kinds.push("number", "number", "number");
  const kind: OperandKind = d.pick(kinds);
  const seed = d.seed();
  const mk = (base: number[]): Operand => ({ kind, shape, base, data: fillValues(sizeOf(base), seed, profile, dtype), dtype });
  switch (kind) {
    case "tensor":
      return mk(shape);
    case "lazy": case "scalar": case "number": {
      const op = mk([]);
      op.base = [];
      return op;
    }
    case "transposed": {
      if (shape.length < 2) return { ...mk(shape), kind: "tensor" };
      const perm = shuffled(d, shape.length);
      const base = new Array<number>(shape.length);
      perm.forEach((p, i) => (base[p] = shape[i]!));
      return { ...mk(base), perm };
    }
    case "sliced": {
      if (shape.length === 0) return { ...mk(shape), kind: "tensor" };
      const ranges: Range[] = [];
      // Large steps on every axis of a rank-5 operand would make the base hundreds of times larger than the view.
      const steps = shape.length <= 2 ? [1, 2, 3, -1, -2] : [1, 1, 2, -1];
      const base = shape.map((n) => {
        const step = d.pick(steps);
        const off = d.int(0, 2);
        const extra = d.int(0, 2);
        const len = off + (n === 0 ? 0 : (n - 1) * Math.abs(step) + 1) + extra;
        if (step > 0) ranges.push([off, off + n * step, step]);
        else {
          // Walk backwards from the last kept index; null end means "through index 0" (numpy's x[a::-k]).
          const start = len - 1 - extra;
          const end = start + n * step;
          ranges.push([start, end < 0 ? null : end, step]);
        }
        return len;
      });
      return { ...mk(base), ranges };
    }
    case "broadcast": {
      const base = broadcastingShapeFor(ctx, shape);
      return mk(base);
    }
  }
}

function shuffled(d: Draw, n: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = d.int(0, i);
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}

function axisParams(ctx: Ctx, rank: number, allowMany: boolean): { axis?: number | number[]; keepdims?: boolean } {
  const d = ctx.d;
  const keepdims = d.chance(0.3) ? true : undefined;
  const c = d.int(0, 3);
  if (c === 0 || rank === 0) return keepdims ? { keepdims } : {};
  if (c === 3 && allowMany && rank >= 2) {
    const axes = shuffled(d, rank).slice(0, d.int(1, rank)).map((a) => (d.chance(0.3) ? a - rank : a));
    return { axis: axes, ...(keepdims ? { keepdims } : {}) };
  }
  const a = d.int(0, rank - 1);
  return { axis: d.chance(0.3) ? a - rank : a, ...(keepdims ? { keepdims } : {}) };
}

/** Ops a gradient case may draw (everything with a derivative). */
export const GRAD_OPS: readonly string[] = [...UNARY.filter((o) => !NON_DIFFERENTIABLE.has(o)), ...BINARY.filter((o) => !NON_DIFFERENTIABLE.has(o)),
  ...REDUCE, ...SOFTMAX, ...LINALG, ...SHAPE_OPS.filter((o) => o !== "astype"), ...OTHER];
export const FORWARD_OPS: readonly string[] = [...UNARY, ...BINARY, ...REDUCE, ...ARG, ...SOFTMAX, ...LINALG, ...SHAPE_OPS, ...OTHER];

/** Value profile that keeps a gradient case at smooth points of its op. */
function gradProfile(op: string): Profile {
  if (["log", "sqrt", "pow", "std", "norm"].includes(op)) return "gradPositive";
  if (["relu", "abs", "leakyRelu"].includes(op)) return "gradAwayFromZero";
  return "grad";
}

function drawCase(d: Draw, grad: boolean): Case {
  const big = !grad && d.chance(0.006);
  if (big) return bigCase(d);
  const op = d.pick(grad ? GRAD_OPS : FORWARD_OPS);
  const dtype: DType = grad ? "float64" : d.chance(0.5) ? "float32" : "float64";
  const ctx: Ctx = { d, dtype, grad, profile: grad ? gradProfile(op) : "normal" };
  return { op, dtype, ...drawOp(ctx, op) };
}

function drawOp(ctx: Ctx, op: string): { inputs: Operand[]; params: Record<string, unknown> } {
  const d = ctx.d;
  if ((UNARY as readonly string[]).includes(op)) {
    const x = operand(ctx, shapeOf(ctx));
    return { inputs: [x], params: op === "leakyRelu" && d.chance(0.5) ? { alpha: d.pick([0.2, 0.01, -0.5, 1.5]) } : {} };
  }
  if ((BINARY as readonly string[]).includes(op)) {
    const out = shapeOf(ctx);
    const aShape = d.chance(0.75) ? broadcastingShapeFor(ctx, out) : out;
    const bShape = d.chance(0.75) ? broadcastingShapeFor(ctx, out) : out;
    const numberAt = aShape.length === 0 && bShape.length === 0 ? -1 : d.int(0, 1);
    // Gradient points: a divisor away from 0, a positive base with any exponent.
    const [aProfile, bProfile]: (Profile | undefined)[] = !ctx.grad ? [undefined, undefined]
      : op === "div" ? ["grad", "gradAwayFromZero"] : op === "pow" ? ["gradPositive", "grad"] : [undefined, undefined];
    const a = operand(ctx, aShape, { allowNumber: numberAt === 0 && aShape.length === 0, profile: aProfile });
    const b = operand(ctx, bShape, { allowNumber: numberAt === 1 && bShape.length === 0, profile: bProfile });
    // Both plain numbers would give a float64 scalar whatever the case's dtype.
    if (a.kind === "number" && b.kind === "number") b.kind = "scalar";
    return { inputs: [a, b], params: {} };
  }
  if ((REDUCE as readonly string[]).includes(op)) {
    const x = operand(ctx, shapeOf(ctx));
    const p: Record<string, unknown> = axisParams(ctx, x.shape.length, true);
    if ((op === "var" || op === "std") && d.chance(0.3)) p.ddof = 1;
    if (op === "norm") p.ord = d.pick([2, 2, 1, "inf"]);
    return { inputs: [x], params: p };
  }
  if ((ARG as readonly string[]).includes(op)) {
    const x = operand(ctx, shapeOf(ctx));
    const rank = x.shape.length;
    return { inputs: [x], params: rank > 0 && d.chance(0.7) ? { axis: d.int(-rank, rank - 1) } : {} };
  }
  if ((SOFTMAX as readonly string[]).includes(op)) {
    const x = operand(ctx, shapeOf(ctx, 1));
    const rank = x.shape.length;
    return { inputs: [x], params: d.chance(0.3) ? {} : { axis: d.int(-rank, rank - 1) } };
  }
  if (op === "matmul" || op === "dot") return matmulOperands(ctx, 6);
  if (op === "outer") return { inputs: [operand(ctx, shapeOf(ctx, 0, 2, 12)), operand(ctx, shapeOf(ctx, 0, 2, 12))], params: {} };
  if (op === "where") {
    const out = shapeOf(ctx);
    const c = operand({ ...ctx, profile: d.pick<Profile>(["ints", "special"]) }, broadcastingShapeFor(ctx, out));
    const a = operand(ctx, d.chance(0.7) ? broadcastingShapeFor(ctx, out) : out, { allowNumber: true });
    const b = operand(ctx, d.chance(0.7) ? broadcastingShapeFor(ctx, out) : out, { allowNumber: a.kind !== "number" });
    if (ctx.grad) c.data = c.data.map((v) => (v !== v ? 1 : v));
    return { inputs: [c, a, b], params: {} };
  }
  if (op === "clip") {
    const out = shapeOf(ctx);
    const x = operand(ctx, out);
    const lo = operand(ctx, d.chance(0.6) ? [] : broadcastingShapeFor(ctx, out), { allowNumber: true });
    const hi = operand(ctx, d.chance(0.6) ? [] : broadcastingShapeFor(ctx, out), { allowNumber: true });
    if (lo.kind === "number" && hi.kind === "number" && x.shape.length === 0 && x.kind !== "tensor") x.kind = "tensor";
    if (ctx.grad) {
      // Bounds well inside the values' range, so values sit on either side but rarely on a bound.
      lo.data = lo.data.map((v) => -0.7 + v * 0.1);
      hi.data = hi.data.map((v) => 0.7 + v * 0.1);
    }
    return { inputs: [x, lo, hi], params: {} };
  }
  return shapeOp(ctx, op);
}

function matmulOperands(ctx: Ctx, maxDim: number): { inputs: Operand[]; params: Record<string, unknown> } {
  const d = ctx.d;
  const m = d.int(ctx.grad ? 1 : 0, maxDim), k = d.int(ctx.grad ? 1 : 0, maxDim), n = d.int(ctx.grad ? 1 : 0, maxDim);
  const batch = shapeOf(ctx, 0, 3, 8);
  const aRank = d.pick([1, 2, 2, 3]), bRank = d.pick([1, 2, 2, 3]);
  const aShape = aRank === 1 ? [k] : [...(aRank === 3 || d.chance(0.3) ? broadcastingShapeFor(ctx, batch) : []), m, k];
  const bShape = bRank === 1 ? [k] : [...(bRank === 3 || d.chance(0.3) ? broadcastingShapeFor(ctx, batch) : []), k, n];
  return { inputs: [operand(ctx, aShape), operand(ctx, bShape)], params: {} };
}

function shapeOp(ctx: Ctx, op: string): { inputs: Operand[]; params: Record<string, unknown> } {
  const d = ctx.d;
  const x = operand(ctx, shapeOf(ctx, op === "concat" ? 1 : 0));
  const rank = x.shape.length;
  switch (op) {
    case "reshape": {
      const target = factorize(d, x.shape);
      if (target.length > 0 && d.chance(0.4) && target.every((t) => t > 0)) target[d.int(0, target.length - 1)] = -1;
      return { inputs: [x], params: { shape: target } };
    }
    case "transpose":
      return { inputs: [x], params: d.chance(0.3) ? {} : { axes: shuffled(d, rank).map((a) => (d.chance(0.2) ? a - rank : a)) } };
    case "broadcastTo": {
      // x's shape becomes the tail of the target; its 1-axes are stretched.
      const lead = shapeOf(ctx, 0, Math.max(0, 5 - rank), 8);
      const tail = x.shape.map((n) => (n === 1 && d.chance(0.6) ? d.int(0, 3) : n));
      return { inputs: [x], params: { shape: [...lead, ...tail] } };
    }
    case "expandDims":
      return { inputs: [x], params: { axis: d.int(-rank - 1, rank) } };
    case "squeeze": {
      const ones = x.shape.flatMap((n, i) => (n === 1 ? [i] : []));
      if (ones.length === 0 || d.chance(0.4)) return { inputs: [x], params: {} };
      return { inputs: [x], params: { axis: ones.filter(() => d.chance(0.6)) } };
    }
    case "flatten":
      return { inputs: [x], params: {} };
    case "slice": {
      const specs: SliceSpec[] = [];
      const count = d.int(0, rank);
      for (let i = 0; i < count; i++) {
        const n = x.shape[i]!;
        const c = d.int(0, 3);
        if (c === 0) specs.push(null);
        else if (c === 1 && n > 0) specs.push(d.int(-n, n - 1));
        else {
          const pick = (): number | null => (d.chance(0.25) ? null : d.int(-n - 2, n + 2));
          specs.push([pick(), pick(), d.pick([1, 1, 2, 3, -1, -2])]);
        }
      }
      return { inputs: [x], params: { specs } };
    }
    case "take": {
      const flat = rank === 0 || d.chance(0.3);
      const axis = flat ? undefined : d.int(-rank, rank - 1);
      const n = flat ? sizeOf(x.shape) : x.shape[(axis! + rank) % rank]!;
      const count = n === 0 ? 0 : d.int(0, 5);
      const idx = Array.from({ length: count }, () => d.int(-n, n - 1));
      const indices = d.chance(0.3) && count === 4 ? [idx.slice(0, 2), idx.slice(2)] : idx;
      return { inputs: [x], params: axis === undefined ? { indices } : { indices, axis } };
    }
    case "concat": case "stack": {
      const axisRank = op === "concat" ? rank : rank + 1;
      const axis = d.int(-axisRank, axisRank - 1);
      const a = (axis + axisRank) % axisRank;
      const others = Array.from({ length: d.int(0, 2) }, () => {
        const shape = x.shape.slice();
        if (op === "concat") shape[a] = d.int(0, 3);
        return operand(ctx, shape);
      });
      return { inputs: [x, ...others], params: { axis } };
    }
    case "astype":
      return { inputs: [x], params: { to: ctx.dtype === "float32" ? "float64" : "float32" } };
  }
  throw new Error(`unknown op ${op}`);
}

/** A random shape with the same number of elements. */
function factorize(d: Draw, shape: readonly number[]): number[] {
  const n = sizeOf(shape);
  if (n === 0) return d.chance(0.5) ? [0] : [d.int(1, 3), 0];
  const out: number[] = [];
  let rest = n;
  while (rest > 1 && out.length < 4) {
    const divisors = [];
    for (let k = 2; k <= rest; k++) if (rest % k === 0) divisors.push(k);
    const f = d.pick(divisors);
    out.push(f);
    rest /= f;
    if (d.chance(0.2)) out.push(1);
  }
  if (rest > 1) out.push(rest);
  return out;
}

const SPLIT_UNARY = ["exp", "log", "log1p", "tanh", "sigmoid", "softplus", "sin", "cos", "tan", "sqrt"] as const;
const WASM_UNARY = [...SPLIT_UNARY, "neg", "abs", "square", "relu", "sign"] as const;

/** Cases on both sides of the kernel thresholds: wasm elementwise (2048), threaded unary ops (2^17), matmul paths. */
function bigCase(d: Draw): Case {
  const dtype: DType = d.chance(0.5) ? "float32" : "float64";
  const ctx: Ctx = { d, dtype, grad: false, profile: "normal" };
  const kind = d.int(0, 9);
  const cols = d.pick([1, 7, 8, 9, 64]);
  if (kind <= 4) {
    // elementwise: rows x cols around 2048 (often) or 2^17 (rarely), operands broadcasting by rows or columns
    const threaded = d.chance(0.15);
    const total = threaded ? d.pick([131071, 131072, 131073]) : d.pick([2047, 2048, 2049, 4100]);
    // Views of the largest sizes cost seconds to build and add nothing the small cases do not cover.
    const view = threaded ? { noViews: true } : {};
    const rows = Math.max(1, Math.round(total / cols));
    const out = [rows, cols];
    // the unary kernels (elementwise.c); the transcendental ones split across threads from 2^17 elements
    const op = threaded && d.chance(0.5) ? d.pick(SPLIT_UNARY)
      : d.pick(["add", "sub", "mul", "div", "maximum", "pow", "sum", "mean", "greater", ...WASM_UNARY]);
    if ((WASM_UNARY as readonly string[]).includes(op)) {
      return { op, dtype, inputs: [operand(ctx, [rows * cols], { ...view, profile: "normal" })], params: {} };
    }
    if (op === "sum" || op === "mean") {
      return { op, dtype, inputs: [operand(ctx, out, { ...view, profile: "normal" })], params: axisParams(ctx, 2, true) };
    }
    const shapes = d.pick([[out, out], [out, [rows, 1]], [out, [cols]], [[rows, 1], out], [[1, cols], [rows, 1]], [out, []]]);
    const inputs = shapes.map((s) => operand(ctx, s.slice(), { ...view, profile: op === "pow" ? "positive" : "normal" }));
    return { op, dtype, inputs, params: {} };
  }
  return bigMatmulCase(ctx);
}

/** Matmul shapes on both sides of each path's threshold and at the wasm GEMM's block edges. */
function bigMatmulCase(ctx: Ctx): Case {
  const { d, dtype } = ctx;
  // matmul: around 128 multiply-adds (native BLAS) and 4096 (wasm), GEMM block edges (KC 256, MC 96, NC 1024/2048,
  // micro-tiles 4x8 / 4x4), 2^23 threaded
  const shapes = [
    // just below / at the 128 multiply-adds of the native BLAS path (a dot product and an outer product among them)
    [4, 4, 8], [3, 6, 7], [1, 128, 1], [1, 127, 1], [128, 1, 1], [8, 1, 16],
    // just below / at the 4096 multiply-adds of the wasm path
    [16, 16, 16], [15, 16, 17], [16, 17, 15], [4, 1024, 1], [1, 4096, 1],
    // micro-tile edges (rows % 4, columns % 8 or % 4) on the wasm path
    [97, 7, 9], [95, 9, 7], [33, 17, 15], [6, 100, 7], [13, 50, 11],
    // KC = 256, MC = 96, NC = 1024 (float64) / 2048 (float32) block edges
    [96, 256, 8], [97, 257, 9], [5, 255, 33], [3, 256, 1025], [9, 4, 1023], [2, 300, 1024], [4, 8, 2049], [2, 16, 2048],
    // from 2^23 multiply-adds the product is split across threads
    [128, 256, 257], [257, 129, 256],
  ];
  const [m, k, n] = d.pick(shapes) as [number, number, number];
  const batch = d.chance(0.2) && m * k * n < 100000 ? [2] : [];
  return { op: "matmul", dtype, inputs: [operand(ctx, [...batch, m, k], { profile: "normal" }), operand(ctx, [k, n], { profile: "normal" })], params: {} };
}

/** Forward cases (every op, float32 and float64, every operand kind and value profile). */
export const forwardCaseArbitrary: fc.Arbitrary<Case> = fc.gen().map((g) => drawCase(new Draw(g), false));

/** Forward matmul and dot cases only: the generated small ones and, one in eight, a threshold or block-edge shape. */
export const matmulCaseArbitrary: fc.Arbitrary<Case> = fc.gen().map((g) => {
  const d = new Draw(g);
  const dtype: DType = d.chance(0.5) ? "float32" : "float64";
  const ctx: Ctx = { d, dtype, grad: false, profile: "normal" };
  if (d.chance(0.125)) return bigMatmulCase(ctx);
  const op = d.pick(["matmul", "dot"]);
  return { op, dtype, ...drawOp(ctx, op) };
});

/** Gradient cases: differentiable ops in float64 at smooth points. */
export const gradCaseArbitrary: fc.Arbitrary<Case> = fc.gen().map((g) => drawCase(new Draw(g), true));

const CHUNK = 10_000;

/**
 * Cases `first` .. `first + count - 1` of `seed`, in chunks of at most 10,000 (so a run of a million cases never holds
 * them all). Case i is drawn by fast-check from a seed derived from `seed` and i / 10,000: the same in every run.
 */
export function* generateCases(arb: fc.Arbitrary<Case>, seed: number, first: number, count: number): Generator<{ index: number; c: Case }[]> {
  const end = first + count;
  for (let i = first; i < end;) {
    const chunk = Math.floor(i / CHUNK);
    const upto = Math.min(end, (chunk + 1) * CHUNK) - chunk * CHUNK;
    const samples = fc.sample(arb, { seed: (seed + chunk * 1_000_003) % 0x7fffffff, numRuns: upto });
    yield samples.slice(i - chunk * CHUNK).map((c, k) => ({ index: i + k, c }));
    i = chunk * CHUNK + upto;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// gradlab expressions: the exact code that is run, printed as the reproduction
// ---------------------------------------------------------------------------------------------------------------

/** A JS literal that round-trips the number exactly (including -0, NaN and the infinities). */
export function num(v: number): string {
  if (Object.is(v, -0)) return "-0";
  return String(v);
}

function lit(v: unknown): string {
  if (typeof v === "number") return num(v);
  if (v === null || v === undefined) return "null";
  if (Array.isArray(v)) return `[${v.map(lit).join(", ")}]`;
  if (typeof v === "object") return `{${Object.entries(v).map(([k, x]) => `${k}: ${lit(x)}`).join(", ")}}`;
  return JSON.stringify(v);
}

function nested(data: Float64Array, shape: readonly number[], offset = 0): string {
  if (shape.length === 0) return num(data[offset]!);
  const [n, ...rest] = shape;
  const stride = sizeOf(rest);
  return `[${Array.from({ length: n! }, (_, i) => nested(data, rest, offset + i * stride)).join(", ")}]`;
}

/** Operands larger than this are passed as a data array `D[i]` instead of being spelled out. */
const INLINE_MAX = 64;

function dt(dtype: DType): string {
  return dtype === "float64" ? "" : `, {dtype: "float32"}`;
}

/** Expression building the stored values as a tensor (`D[i]` is the i-th operand's data when too big to inline). */
export function baseExpr(o: Operand, i: number, inlineMax = INLINE_MAX): string {
  const n = sizeOf(o.base);
  if (n > inlineMax) return `gl.reshape(gl.tensor(D[${i}]${dt(o.dtype)}), ${lit(o.base)})`;
  if (n === 0 || o.base.length === 0) return `gl.reshape(gl.tensor([${Array.from(o.data).map(num).join(", ")}]${dt(o.dtype)}), ${lit(o.base)})`;
  return `gl.tensor(${nested(o.data, o.base)}${dt(o.dtype)})`;
}

/** `inner` (the stored values) turned into the operand the op sees: transposed, sliced or broadcast. */
export function viewExpr(o: Operand, inner: string): string {
  switch (o.kind) {
    case "transposed": return `gl.transpose(${inner}, ${lit(o.perm)})`;
    case "sliced": return `gl.slice(${inner}, ${o.ranges!.map(lit).join(", ")})`;
    case "broadcast": return `gl.broadcastTo(${inner}, ${lit(o.shape)})`;
    default: return inner;
  }
}

export function operandExpr(o: Operand, i: number, inlineMax = INLINE_MAX): string {
  const v = o.data[0]!;
  switch (o.kind) {
    case "tensor": return baseExpr(o, i, inlineMax);
    case "lazy":
      if (v === 0 && !Object.is(v, -0)) return `gl.zeros(${lit(o.shape)}${dt(o.dtype)})`;
      if (v === 1) return `gl.ones(${lit(o.shape)}${dt(o.dtype)})`;
      return `gl.full(${lit(o.shape)}, ${num(v)}${dt(o.dtype)})`;
    case "scalar": return `gl.scalar(${num(v)}${dt(o.dtype)})`;
    case "number": return num(v);
    default: return viewExpr(o, baseExpr(o, i, inlineMax));
  }
}

/** The gradlab call of `c.op` on argument expressions `a`. */
export function opExpr(c: Case, a: string[]): string {
  const p = c.params;
  const axisArgs = (): string => {
    if (p.ddof !== undefined) return `, {${p.axis !== undefined ? `axis: ${lit(p.axis)}, ` : ""}${p.keepdims ? "keepdims: true, " : ""}ddof: ${lit(p.ddof)}}`;
    if (p.keepdims) return `, ${p.axis === undefined ? "undefined" : lit(p.axis)}, true`;
    return p.axis === undefined ? "" : `, ${lit(p.axis)}`;
  };
  const op = c.op;
  if ((UNARY as readonly string[]).includes(op)) return `gl.${op}(${a[0]}${op === "leakyRelu" && p.alpha !== undefined ? `, ${num(p.alpha as number)}` : ""})`;
  if ((BINARY as readonly string[]).includes(op) || (LINALG as readonly string[]).includes(op)) return `gl.${op}(${a[0]}, ${a[1]})`;
  switch (op) {
    case "where": case "clip": return `gl.${op}(${a.join(", ")})`;
    case "norm": {
      const o: string[] = [];
      if (p.ord !== 2) o.push(`ord: ${p.ord === "inf" ? "Infinity" : lit(p.ord)}`);
      if (p.axis !== undefined) o.push(`axis: ${lit(p.axis)}`);
      if (p.keepdims) o.push("keepdims: true");
      return `gl.norm(${a[0]}${o.length ? `, {${o.join(", ")}}` : ""})`;
    }
    case "sum": case "mean": case "prod": case "max": case "min": case "var": case "std": case "logsumexp":
    case "argmax": case "argmin": case "softmax": case "logSoftmax":
      return `gl.${op}(${a[0]}${axisArgs()})`;
    case "reshape": return `gl.reshape(${a[0]}, ${lit(p.shape)})`;
    case "transpose": return `gl.transpose(${a[0]}${p.axes ? `, ${lit(p.axes)}` : ""})`;
    case "broadcastTo": return `gl.broadcastTo(${a[0]}, ${lit(p.shape)})`;
    case "expandDims": return `gl.expandDims(${a[0]}, ${lit(p.axis)})`;
    case "squeeze": return `gl.squeeze(${a[0]}${p.axis ? `, ${lit(p.axis)}` : ""})`;
    case "flatten": return `gl.flatten(${a[0]})`;
    case "slice": return `gl.slice(${[a[0], ...(p.specs as SliceSpec[]).map(lit)].join(", ")})`;
    case "take": return `gl.take(${a[0]}, ${lit(p.indices)}${p.axis !== undefined ? `, ${lit(p.axis)}` : ""})`;
    case "concat": case "stack": return `gl.${op}([${a.join(", ")}], ${lit(p.axis)})`;
    case "astype": return `gl.astype(${a[0]}, ${JSON.stringify(p.to)})`;
  }
  throw new Error(`unknown op ${op}`);
}

/** The whole forward expression of a case. */
export function caseExpr(c: Case): string {
  return opExpr(c, c.inputs.map((o, i) => operandExpr(o, i)));
}

/** Data arrays referenced as `D[i]` by an expression. */
export function caseData(c: Case): Float64Array[] {
  return c.inputs.map((o) => o.data);
}

const compiled = new Map<string, (g: typeof gl, D: Float64Array[]) => unknown>();

/** Runs gradlab code text with `gl` and `D` in scope (so what runs is exactly what a failure prints). */
export function runExpr(expr: string, data: Float64Array[]): unknown {
  let f = compiled.get(expr);
  if (!f) {
    f = new Function("gl", "D", `"use strict"; return (${expr});`) as (g: typeof gl, D: Float64Array[]) => unknown;
    if (compiled.size > 2000) compiled.clear();
    compiled.set(expr, f);
  }
  return f(gl, data);
}

export function outcomeOf(t: unknown): Outcome {
  if (!(t instanceof gl.Tensor)) throw new Error(`result is not a Tensor: ${String(t)}`);
  return { shape: [...t.shape], dtype: t.dtype, data: Float64Array.from(t.data) };
}

/**
 * Evaluates one case with gradlab: its result, or the error it threw. A second comparison (one backend against another)
 * is `compare(a, b)` of this function's results under each backend, for each case of `generateCases(forwardCaseArbitrary, ...)`.
 */
export function evaluateGradlab(c: Case): Outcome | { error: string } {
  try {
    return outcomeOf(runExpr(caseExpr(c), caseData(c)));
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
