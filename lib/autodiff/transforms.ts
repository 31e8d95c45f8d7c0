// The functional transforms (JAX-style): grad, valueAndGrad, vjp, jvp over trees; jacobians, hessian and hvp build on them.
import { asTensor, describeValue, scalarOf } from "../core/convert.js";
import { popTrace, pushTrace } from "../core/trace.js";
import { Tensor } from "../core/tensor.js";
import { inScope } from "../core/tidy.js";
import { GradError } from "../tensor/errors.js";
import { formatShape, shapesEqual } from "../tensor/shape.js";
import { treeFlatten, type TreeDef } from "../tree.js";
import { onesLike, zerosLike } from "../ops/create.js";
import { ReverseTrace } from "./reverse.js";
import { JvpTrace } from "./forward.js";

/** Which positional arguments to differentiate: one index (result is that argument's gradient) or a list. */
export type Argnums = number | readonly number[];

/** Options of `grad` and `valueAndGrad`. */
export interface GradOptions {
  /** Argument(s) to differentiate with respect to (default 0). A list gives a list of gradients. */
  argnums?: Argnums;
  /** f returns `[value, aux]`; aux is passed through untouched (with tracers removed). */
  hasAux?: boolean;
}

type Fn = (...args: any[]) => any;

/** The type of a gradient with respect to an argument of type A: the same tree, with tensors (numbers become
 *  scalar tensors). Lets `grad(f)(x)` keep its type in editors and for tensor operators in cells. */
export type GradientOf<A, Depth extends unknown[] = []> = Depth["length"] extends 8
  ? any // recursive tree types (a Params alias) stop here instead of expanding forever
  : A extends number | Tensor
    ? Tensor
    : A extends readonly unknown[]
      ? { [K in keyof A]: GradientOf<A[K], [...Depth, 0]> }
      : A extends object
        ? { [K in keyof A]: GradientOf<A[K], [...Depth, 0]> }
        : Tensor;

/** Validates argnums once, when the transform is created. */
function parseArgnums(op: string, argnums: Argnums): readonly number[] {
  const list = typeof argnums === "number" ? [argnums] : argnums;
  if (!Array.isArray(list) || list.length === 0) {
    throw new GradError(`${op}: argnums must be an integer or a non-empty list, got ${describeValue(argnums)}`);
  }
  for (const k of list) {
    if (!Number.isInteger(k) || k < 0) throw new GradError(`${op}: argnums must be non-negative integers, got ${describeValue(k)}`);
  }
  if (new Set(list).size !== list.length) throw new GradError(`${op}: argnums ${JSON.stringify(list)} repeats an index`);
  return list.slice();
}

/** Checks argnums against the actual number of arguments, at each call. */
function checkArgnums(op: string, nums: readonly number[], nargs: number): void {
  for (let i = 0; i < nums.length; i++) {
    const k = nums[i]!;
    if (k >= nargs) {
      throw new GradError(`${op}: argnums ${k} is out of range: f was called with ${nargs} argument${nargs === 1 ? "" : "s"}`);
    }
  }
}

/**
 * An argument wrapped for one reverse trace: a tensor or number becomes its leaf tracer itself (no bookkeeping in the
 * common case), a tree keeps its leaf tracers and structure to rebuild the gradient tree.
 */
type WrappedArg = Tensor | { readonly tree: unknown; readonly leaves: readonly Tensor[]; readonly def: TreeDef };

function wrapArg(trace: ReverseTrace, arg: unknown, op: string, k: number): WrappedArg {
  if (arg instanceof Tensor) return trace.leaf(arg);
  if (typeof arg === "number") return trace.leaf(scalarOf(arg, "float64"));
  const [values, def] = treeFlatten(arg, op, `argument ${k}`);
  const leaves = values.map((v) => trace.leaf(asTensor(v)));
  return { tree: def.unflatten(leaves), leaves, def };
}

/** What f receives for a wrapped argument. */
function traced(w: WrappedArg): unknown {
  return w instanceof Tensor ? w : w.tree;
}

const newReverseTrace = (level: number): ReverseTrace => new ReverseTrace(level);

function leafGrad(leaf: Tensor, cts: (Tensor | null)[] | null): Tensor {
  return (cts === null ? null : cts[leaf._node]) ?? zerosLike(leaf._primal!);
}

function gradTree(w: WrappedArg, cts: (Tensor | null)[] | null): unknown {
  if (w instanceof Tensor) return leafGrad(w, cts);
  return w.def.unflatten(w.leaves.map((leaf) => leafGrad(leaf, cts)));
}

/** Replaces tracers of `trace` inside an arbitrary value (aux outputs) by their primals. */
function untrace(value: unknown, trace: ReverseTrace | JvpTrace): unknown {
  if (value instanceof Tensor) return value._trace === trace ? value._primal : value;
  if (Array.isArray(value)) return value.map((v) => untrace(v, trace));
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(Object.getPrototypeOf(value) ?? Object.prototype) === null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = untrace(v, trace);
    return out;
  }
  return value;
}

function scalarOutput(op: string, y: unknown): Tensor {
  if (typeof y === "number") return asTensor(y);
  if (!(y instanceof Tensor)) throw new GradError(`${op}: f must return a scalar Tensor, got ${describeValue(y)}`);
  if (y.size !== 1) throw new GradError(`${op}: f must return a scalar, got shape ${formatShape(y.shape)}`);
  return y;
}

/** What one grad or valueAndGrad transform was made with, checked once when it is made. */
interface GradSpec {
  readonly op: "grad" | "valueAndGrad";
  readonly f: Fn;
  readonly nums: readonly number[];
  readonly hasAux: boolean;
  /** argnums was a list: the gradients come as a list. */
  readonly listed: boolean;
}

function gradSpec(op: GradSpec["op"], f: Fn, options: GradOptions): GradSpec {
  const nums = parseArgnums(op, options.argnums ?? 0);
  return { op, f, nums, hasAux: options.hasAux === true, listed: typeof options.argnums === "object" };
}

/** One call of a grad or valueAndGrad transform, inside its scope: what the transform returns. */
function gradCall(spec: GradSpec, args: unknown[]): unknown {
  const { op, nums } = spec;
  checkArgnums(op, nums, args.length);
  const trace = pushTrace(newReverseTrace);
  const wrapped = new Array<WrappedArg>(nums.length);
  let out: unknown;
  try {
    // args is the rest array of this one call, so the tracers can replace the arguments in place.
    for (let i = 0; i < nums.length; i++) {
      const k = nums[i]!;
      const w = wrapArg(trace, args[k], op, k);
      wrapped[i] = w;
      args[k] = traced(w);
    }
    out = spec.f(...args);
  } finally {
    popTrace(trace);
  }
  let aux: unknown;
  if (spec.hasAux) {
    if (!Array.isArray(out) || out.length !== 2) {
      throw new GradError(`${op}: with hasAux, f must return [value, aux], got ${describeValue(out)}`);
    }
    aux = untrace(out[1], trace);
    out = out[0];
  }
  const y = scalarOutput(op, out);
  const ours = y._trace === trace;
  const cts = ours ? trace.sweep([y._node], [onesLike(y._primal!)]) : null;
  let grads: unknown;
  if (spec.listed) {
    const list = new Array<unknown>(wrapped.length);
    for (let i = 0; i < wrapped.length; i++) list[i] = gradTree(wrapped[i]!, cts);
    grads = list;
  } else {
    grads = gradTree(wrapped[0]!, cts);
  }
  if (op === "grad") return spec.hasAux ? [grads, aux] : grads;
  const value = ours ? y._primal! : y;
  return spec.hasAux ? [[value, aux], grads] : [value, grads];
}

/**
 * `valueAndGrad(f, {argnums, hasAux})(...args)` returns `[f(...args), gradient]` (or `[[value, aux], gradient]`).
 * f must return a scalar; arguments may be tensors, numbers, or trees (arrays / plain objects) of them, and the
 * gradient has the same structure as the differentiated argument(s).
 */
export function valueAndGrad<A, Rest extends unknown[]>(
  f: (x: A, ...rest: Rest) => Tensor | number,
  options?: { argnums?: 0; hasAux?: false },
): (x: A, ...rest: Rest) => [Tensor, GradientOf<A>];
export function valueAndGrad(f: Fn, options?: GradOptions): (...args: any[]) => any;
export function valueAndGrad(f: Fn, options: GradOptions = {}): (...args: any[]) => any {
  const spec = gradSpec("valueAndGrad", f, options);
  // The forward values and cotangents nobody returned are reused as soon as this returns (see tidy).
  return (...args) => inScope("valueAndGrad", gradCall, spec, args);
}

/**
 * `grad(f, {argnums, hasAux})(...args)`: the gradient of scalar-valued f with respect to argument `argnums` (default 0),
 * shaped like that argument (a tree for a tree). With a list of argnums, a list of gradients. Compose freely:
 * `grad(grad(f))` is the second derivative.
 */
export function grad<A, Rest extends unknown[]>(
  f: (x: A, ...rest: Rest) => Tensor | number,
  options?: { argnums?: 0; hasAux?: false },
): (x: A, ...rest: Rest) => GradientOf<A>;
export function grad(f: Fn, options?: GradOptions): (...args: any[]) => any;
export function grad(f: Fn, options: GradOptions = {}): (...args: any[]) => any {
  const spec = gradSpec("grad", f, options);
  return (...args) => inScope("grad", gradCall, spec, args);
}

/**
 * Reverse mode with an explicit pullback: `const [y, pullback] = vjp(f, ...primals)`; `pullback(ct)` returns the
 * list of cotangents of all primals (trees like the primals). `ct` must match y's structure. The pullback can be
 * called many times.
 */
export function vjp(f: Fn, ...primals: unknown[]): [any, (ct: unknown) => any[]] {
  const trace = pushTrace(newReverseTrace);
  const wrapped: WrappedArg[] = [];
  let out: unknown;
  try {
    const callArgs = primals.map((p, k) => {
      const w = wrapArg(trace, p, "vjp", k);
      wrapped.push(w);
      return traced(w);
    });
    out = f(...callArgs);
  } finally {
    popTrace(trace);
  }
  const [outLeaves, outDef] = treeFlatten(out, "vjp", "output of f");
  const outTensors = outLeaves.map((l) => asTensor(l));
  const pullback = (ct: unknown): any[] => {
    const [ctLeaves] = treeFlatten(ct, "vjp", "cotangent");
    if (ctLeaves.length !== outTensors.length) {
      throw new GradError(`vjp: the cotangent has ${ctLeaves.length} leaves but f's output has ${outTensors.length}`);
    }
    const nodes: number[] = [];
    const seeds: Tensor[] = [];
    outTensors.forEach((y, i) => {
      const c = asTensor(ctLeaves[i]!, y.dtype, "vjp");
      if (!shapesEqual(c.shape, y.shape)) {
        throw new GradError(`vjp: cotangent ${i} has shape ${formatShape(c.shape)} but the output has shape ${formatShape(y.shape)}`);
      }
      if (y._trace === trace) {
        nodes.push(y._node);
        seeds.push(c);
      }
    });
    const cts = nodes.length > 0 ? trace.sweep(nodes, seeds) : null;
    return wrapped.map((w) => gradTree(w, cts));
  };
  return [outDef.unflatten(outTensors.map((y) => (y._trace === trace ? y._primal! : y))), pullback];
}

/**
 * Forward mode: `jvp(f, [x, ...], [dx, ...])` returns `[f(x, ...), directional derivative]`. Tangents mirror the
 * primals' structure and shapes; the result mirrors f's output.
 */
export function jvp(f: Fn, primals: readonly unknown[], tangents: readonly unknown[]): [any, any] {
  if (!Array.isArray(primals) || !Array.isArray(tangents) || primals.length !== tangents.length) {
    throw new GradError("jvp: primals and tangents must be arrays of the same length (one entry per argument of f)");
  }
  const trace = pushTrace((level) => new JvpTrace(level));
  let out: unknown;
  try {
    const callArgs = primals.map((p, k) => {
      const [pl, def] = treeFlatten(p, "jvp", `primal ${k}`);
      const [tl] = treeFlatten(tangents[k], "jvp", `tangent ${k}`);
      if (pl.length !== tl.length) throw new GradError(`jvp: tangent ${k} does not have the structure of primal ${k}`);
      const leaves = pl.map((v, i) => {
        const x = asTensor(v);
        const t = asTensor(tl[i]!, x.dtype, "jvp");
        if (!shapesEqual(x.shape, t.shape)) {
          throw new GradError(`jvp: tangent ${k} has shape ${formatShape(t.shape)} but the primal has shape ${formatShape(x.shape)}`);
        }
        return trace.wrap(x, t);
      });
      return p instanceof Tensor ? leaves[0] : def.unflatten(leaves);
    });
    out = f(...callArgs);
  } finally {
    popTrace(trace);
  }
  const [leaves, def] = treeFlatten(out, "jvp", "output of f");
  const ys = leaves.map((l) => asTensor(l));
  const primalsOut = ys.map((y) => (y._trace === trace ? y._primal! : y));
  const tangentsOut = ys.map((y, i) => (y._trace === trace && y._tangent !== null ? y._tangent : zerosLike(primalsOut[i]!)));
  return [def.unflatten(primalsOut), def.unflatten(tangentsOut)];
}
