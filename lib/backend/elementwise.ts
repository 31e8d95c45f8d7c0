// Fast kernels over large arrays in wasm SIMD: the unary ops (split across threads), the binary ops, sums; JS loops as
// the fallback.
import { readyHelpers, runChunks, type Chunk } from "./pool.js";
import { arena, offsetInKernels } from "./storage.js";
import { kernels, type Kernels } from "./wasm.js";
import type { FloatArray } from "../tensor/dtype.js";
import type { Rows } from "../tensor/elementwise.js";
import { maximumOf, minimumOf, type ReduceKind } from "../tensor/reduce.js";
import type { UnaryFn } from "./backend.js";
import type { KernelLimits } from "./limits.js";
import { UNARY } from "./scalar.js";
import { UNARY_LOOPS } from "./unary_loops.js";

/** The kernels and an arena of `bytes`, or null when an array of `len` elements should take the JS loop instead. */
function wasmCall(len: number, bytes: number, limits: KernelLimits): { kern: Kernels; base: number } | null {
  const kern = len >= limits.wasmElementwise ? kernels() : null;
  const base = kern ? arena(kern, bytes) : null;
  return kern && base !== null ? { kern, base } : null;
}

const heapOf = (kern: Kernels, f32: boolean): FloatArray =>
  f32 ? new Float32Array(kern.memory.buffer) : new Float64Array(kern.memory.buffer);

/** Every unary function's op code in the wasm kernels (elementwise.c). */
export const UNARY_OPS: Readonly<Record<UnaryFn, number>> = {
  exp: 0, neg: 1, abs: 2, square: 3, sqrt: 4, relu: 5, sign: 6, log: 7, log1p: 8, tanh: 9, sigmoid: 10, softplus: 11,
  sin: 12, cos: 13, tan: 14,
};

/** The sin, cos, tan kernels reduce arguments up to this magnitude (elementwise.c); Math takes larger ones. */
const TRIG_MAX = 16384;

/**
 * Functions of one cheap instruction an element, bound by memory and the copies: split across two threads they took as
 * long over 1e6 elements (sqrt, whose instruction is slow, ran 1.5x faster split, so it is not here).
 */
const MEMORY_BOUND: ReadonlySet<UnaryFn> = new Set(["neg", "abs", "square", "relu", "sign"]);

/**
 * out[i] = fn(x[i]) for i < x.length, out may be x: in wasm SIMD (split across threads for long arrays) when x is long
 * enough and the kernels are there, else the JS loop. The kernels give scalar.ts's special values; f64 results are
 * within 1 ulp (exp), 2 ulp (log, log1p, tanh, sigmoid, softplus, sin, cos), 3 ulp (tan) of Math's or scalar.ts's,
 * the rest exact; f32 within 1 ulp of the rounded f64 value (exp 2 ulp).
 */
export function unaryInto(fn: UnaryFn, x: FloatArray, out: FloatArray, limits: KernelLimits): void {
  const len = x.length;
  if (out.length < len) throw new Error(`unaryInto: out has ${out.length} elements, x has ${len}`);
  if (x.constructor !== out.constructor) {
    throw new Error(`unaryInto: dtype mix: ${x.constructor.name} -> ${out.constructor.name}`);
  }
  const f32 = x instanceof Float32Array;
  const size = f32 ? 4 : 8;
  const kern = len >= limits.wasmElementwise ? kernels() : null;
  const inX = kern === null ? -1 : offsetInKernels(kern, x), inOut = kern === null ? -1 : offsetInKernels(kern, out);
  const trig = fn === "sin" || fn === "cos" || fn === "tan";
  // In place when both live in the kernels' memory (the trig fix-up below needs x, so not when out overwrites it).
  if (kern !== null && inX >= 0 && inOut >= 0 && !(trig && inX === inOut)) {
    unaryKernel(kern, fn, f32, inX, inOut, len, limits);
    if (trig) trigBeyondKernel(fn, x, out, 0, len, 0);
    return;
  }
  const piece = Math.min(len, UNARY_PIECE);
  const base = kern === null ? null : arena(kern, 2 * piece * size);
  if (kern === null || base === null) {
    UNARY_LOOPS[fn](x, out);
    return;
  }
  const heap = heapOf(kern, f32);
  const slotX = base, slotOut = base + piece * size;
  for (let s = 0; s < len; s += piece) {
    const count = Math.min(piece, len - s);
    const px = inX >= 0 ? inX + s * size : slotX, po = inOut >= 0 && inOut !== inX ? inOut + s * size : slotOut;
    if (inX < 0) heap.set(x.subarray(s, s + count), slotX / size);
    unaryKernel(kern, fn, f32, px, po, count, limits);
    const written = po === slotOut ? heap.subarray(slotOut / size, slotOut / size + count) : out.subarray(s, s + count);
    // x's piece is read before out's piece is written, so out may be x.
    if (trig) trigBeyondKernel(fn, x, written, s, count, -s);
    if (po === slotOut) out.set(written, s);
  }
}

/** Elements a unary call copies into wasm memory at a time when x or out is not there already. */
const UNARY_PIECE = 1 << 18;

/** out = fn(x) over `len` elements at byte offsets px, po of the kernels' memory, split across threads when it pays. */
function unaryKernel(kern: Kernels, fn: UnaryFn, f32: boolean, px: number, po: number, len: number, limits: KernelLimits): void {
  const size = f32 ? 4 : 8;
  const helpers = len >= limits.parallelElementwise && !MEMORY_BOUND.has(fn) ? readyHelpers(kern) : 0;
  // About four chunks per thread, in whole SIMD vectors (16 bytes) so only the last chunk has a scalar tail.
  const per = helpers === 0 ? len : Math.max(1 << 14, Math.ceil(len / (4 * (helpers + 1)) / 4) * 4);
  const chunks: Chunk[] = [];
  const op = f32 ? "unary_f32" : "unary_f64";
  for (let s = 0; s < len; s += per) {
    chunks.push({ op, args: [UNARY_OPS[fn], px + s * size, po + s * size, Math.min(per, len - s)] });
  }
  runChunks(kern, chunks);
}

/** The kernels reduce sin/cos/tan arguments up to TRIG_MAX: larger ones of x[from, from+count) get Math's value. */
function trigBeyondKernel(fn: UnaryFn, x: FloatArray, out: FloatArray, from: number, count: number, outShift: number): void {
  const f = UNARY[fn];
  for (let i = from; i < from + count; i++) if (Math.abs(x[i]!) > TRIG_MAX) out[i + outShift] = f(x[i]!);
}

/** The binary ops with a wasm kernel (binary.c), by their code there. */
export const ZIP_OPS = { add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5, greater: 6, less: 7, equal: 8 } as const;
export type ZipOp = keyof typeof ZIP_OPS;

// The binary ops (binary.c) and sums (reduce.c) below run on the calling thread: they are bound by memory and by the
// copies in and out, which stay on this thread, and splitting them measured slower at every size (a column split of an
// axis sum twice so).

/**
 * Elements a kernel call copies into wasm memory per operand: long arrays go through in pieces of this size, so the
 * copies stay in the core's cache and the wasm memory holds a few pieces, not whole operands.
 */
export const PIECE = 1 << 14;

/**
 * out = a op b over row-shaped operands in wasm SIMD; false (nothing written) when the arrays are too short for it to
 * pay or the kernels are unavailable, and the caller's JS loop should run. Results equal the JS loop's exactly.
 * Arrays in the kernels' memory (tensor storage, storage.ts) are used in place; others are copied in (and the result
 * out) piece by piece: long rows PIECE elements at a time, short rows a block of whole rows at a time.
 */
export function zipInto(op: ZipOp, a: FloatArray, b: FloatArray, out: FloatArray, p: Rows, limits: KernelLimits): boolean {
  const len = p.rows * p.n;
  const f32 = out instanceof Float32Array;
  if (a.constructor !== out.constructor || b.constructor !== out.constructor) {
    throw new Error(`zipInto: dtype mix: ${a.constructor.name} ${op} ${b.constructor.name} -> ${out.constructor.name}`);
  }
  const size = f32 ? 4 : 8;
  const w = wasmCall(len, 3 * Math.min(len, PIECE) * size, limits);
  if (!w) return false;
  const { kern, base } = w;
  const zip = kern.exports[f32 ? "zip_f32" : "zip_f64"];
  const code = ZIP_OPS[op];
  const inA = offsetInKernels(kern, a), inB = offsetInKernels(kern, b), inOut = offsetInKernels(kern, out);
  if (inA >= 0 && inB >= 0 && inOut >= 0) {
    zip(code, inA, p.ars, p.as, inB, p.brs, p.bs, inOut, p.rows, p.n);
    return true;
  }
  const heap = heapOf(kern, f32);
  const piece = Math.min(len, PIECE);
  const slotA = base, slotB = slotA + piece * size, slotOut = slotB + piece * size;
  /** Where the kernel reads `count` elements of x from element `from`: in place, or copied into `slot`. */
  const place = (x: FloatArray, inKernels: number, from: number, count: number, slot: number): number => {
    if (inKernels >= 0) return inKernels + from * size;
    heap.set(x.subarray(from, from + count), slot / size);
    return slot;
  };
  /** Where the kernel writes `count` results that belong at element `at` of out; `done` copies them there. */
  const target = (at: number): number => (inOut >= 0 ? inOut + at * size : slotOut);
  const done = (at: number, count: number): void => {
    if (inOut < 0) out.set(heap.subarray(slotOut / size, slotOut / size + count), at);
  };
  if (p.n >= PIECE) {
    for (let r = 0; r < p.rows; r++) {
      for (let i = 0; i < p.n; i += PIECE) {
        const count = Math.min(PIECE, p.n - i);
        const pa = place(a, inA, r * p.ars + i * p.as, p.as ? count : 1, slotA);
        const pb = place(b, inB, r * p.brs + i * p.bs, p.bs ? count : 1, slotB);
        zip(code, pa, 0, p.as, pb, 0, p.bs, target(r * p.n + i), 1, count);
        done(r * p.n + i, count);
      }
    }
    return true;
  }
  const block = Math.max(1, Math.floor(PIECE / p.n));
  for (let r = 0; r < p.rows; r += block) {
    const rows = Math.min(block, p.rows - r);
    // A row step of 0 repeats one row for every row (a bias), so the piece holds that row once.
    const pa = place(a, inA, r * p.ars, (rows - 1) * p.ars + (p.as ? p.n : 1), slotA);
    const pb = place(b, inB, r * p.brs, (rows - 1) * p.brs + (p.bs ? p.n : 1), slotB);
    zip(code, pa, p.ars, p.as, pb, p.brs, p.bs, target(r * p.n), rows, p.n);
    done(r * p.n, rows * p.n);
  }
  return true;
}

/**
 * out[i] = c[i] !== 0 ? a[i] : b[i] in the wasm kernel, where a and b have out's length or one element (used for every
 * element); false (nothing written) when the arrays are too short for it to pay, their types differ or the kernels are
 * unavailable, and the caller's JS loop should run. Arrays in the kernels' memory are used in place, others copied in
 * (and the result out) PIECE elements at a time.
 */
export function selectInto(c: FloatArray, a: FloatArray, b: FloatArray, out: FloatArray, limits: KernelLimits): boolean {
  const n = out.length;
  const type = out.constructor;
  if (c.length !== n || c.constructor !== type || a.constructor !== type || b.constructor !== type) return false;
  if ((a.length !== n && a.length !== 1) || (b.length !== n && b.length !== 1)) return false;
  const f32 = out instanceof Float32Array;
  const size = f32 ? 4 : 8;
  const piece = Math.min(n, PIECE);
  const w = wasmCall(n, 4 * piece * size, limits);
  if (!w) return false;
  const heap = heapOf(w.kern, f32);
  const as = a.length === n ? 1 : 0, bs = b.length === n ? 1 : 0;
  const inC = offsetInKernels(w.kern, c), inA = offsetInKernels(w.kern, a), inB = offsetInKernels(w.kern, b);
  const inOut = offsetInKernels(w.kern, out);
  const slot = (k: number): number => w.base + k * piece * size;
  // Where operand x (the k-th slot) lives for elements [s, s + count): in place, or copied into its slot (a one-value
  // operand once).
  const placed = (x: FloatArray, at: number, k: number, s: number, count: number, step: number): number => {
    if (at >= 0) return at + s * step * size;
    if (step === 1 || s === 0) heap.set(step === 1 ? x.subarray(s, s + count) : x, slot(k) / size);
    return slot(k);
  };
  const select = w.kern.exports[f32 ? "select_f32" : "select_f64"];
  for (let s = 0; s < n; s += piece) {
    const count = Math.min(piece, n - s);
    const po = inOut >= 0 ? inOut + s * size : slot(3);
    const pc = placed(c, inC, 0, s, count, 1), pa = placed(a, inA, 1, s, count, as), pb = placed(b, inB, 2, s, count, bs);
    select(pc, pa, as, pb, bs, po, count);
    if (inOut < 0) out.set(heap.subarray(po / size, po / size + count), s);
  }
  return true;
}

/**
 * A reduction of all elements in the kernels, or null for the JS loop (products: a chain of dependent multiplies, as
 * fast in JS). Sums accumulate in double in eight lanes, added in a fixed order; maxima and minima give the JS loop's
 * bits, combining in any order (maximumOf).
 */
export function reduceAllInKernels(fn: ReduceKind, x: FloatArray, limits: KernelLimits): number | null {
  if (fn === "prod") return null;
  const len = x.length;
  const f32 = x instanceof Float32Array;
  const size = f32 ? 4 : 8;
  const w = wasmCall(len, Math.min(len, PIECE) * size, limits);
  if (!w) return null;
  const heap = heapOf(w.kern, f32);
  const kernel = w.kern.exports[`${fn}_${f32 ? "f32" : "f64"}`];
  const combine = fn === "sum" ? (a: number, b: number) => a + b : fn === "max" ? maximumOf : minimumOf;
  const inKernels = offsetInKernels(w.kern, x);
  // Piece by piece (PIECE is a multiple of the eight lanes), the pieces' results combined in order, wherever x lives.
  let total = fn === "sum" ? 0 : fn === "max" ? -Infinity : Infinity;
  for (let s = 0; s < len; s += PIECE) {
    const count = Math.min(PIECE, len - s);
    if (inKernels >= 0) {
      total = combine(total, kernel(inKernels + s * size, count));
      continue;
    }
    heap.set(x.subarray(s, s + count), w.base / size);
    total = combine(total, kernel(w.base, count));
  }
  return total;
}

/**
 * A reduction over the middle axis of x seen as (outer, len, inner) blocks into out (outer x inner), in the order and
 * the element type of the JS loop, so results are identical; false when the JS loop should run (also for inner of 2 or
 * 3: too few columns to put side by side, and rows too short to reduce one by one).
 */
export function reduceAxisInto(fn: ReduceKind, x: FloatArray, outer: number, len: number, inner: number, out: FloatArray,
  limits: KernelLimits): boolean {
  if (inner > 1 && inner < 4) return false;
  const f32 = x instanceof Float32Array;
  const size = f32 ? 4 : 8;
  const total = outer * len * inner;
  const kern = total >= limits.wasmElementwise ? kernels() : null;
  if (kern === null) return false;
  const inX = offsetInKernels(kern, x), inOut = offsetInKernels(kern, out);
  // Only what is not in the kernels' memory already is copied.
  const base = arena(kern, ((inX < 0 ? total : 0) + (inOut < 0 ? outer * inner : 0)) * size);
  if (base === null) return false;
  const heap = heapOf(kern, f32);
  const px = inX >= 0 ? inX : base, po = inOut >= 0 ? inOut : base + (inX < 0 ? total : 0) * size;
  if (inX < 0) heap.set(x.length === total ? x : x.subarray(0, total), px / size);
  const type = f32 ? "f32" : "f64";
  if (inner === 1) kern.exports[`${fn}_rows_${type}`](px, outer, len, po);
  else kern.exports[`${fn}_axis_${type}`](px, outer, len, inner, po);
  if (inOut < 0) out.set(heap.subarray(po / size, po / size + outer * inner));
  return true;
}
