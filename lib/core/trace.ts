// The autodiff core's only global mutable state: the stack of active traces (plus the noGrad depth). Other module-level
// state belongs to the backend (which backend computes, its wasm kernels and threads: lib/backend) or is a cache that
// never changes a result (optimizer scratch slots, the Graphviz renderer, display ids).
//
// Why it exists: autodiff transforms (grad, jvp, ...) wrap their inputs in tracers that belong to a trace. Each trace
// gets a level (its depth on this stack); `bind` hands an op to the highest-level trace among its inputs, which
// computes the primal result one level down and records/propagates its own derivative information. Levels are what
// keep nested transforms apart (no perturbation confusion: d/dx [x * d/dy (x + y)] = 1), as in JAX's core.
// Transforms push and pop in try/finally, so an exception never leaves a stale trace behind.
// Level 0 is reserved for the imperative (PyTorch-style requiresGrad) trace, which is not on the stack.
import type { OpDef } from "./op.js";
import { OutOfMemoryError } from "../tensor/errors.js";
import { formatShape } from "../tensor/shape.js";
import { RELEASED_STORAGE, releasedError } from "../tensor/scope.js";
import type { Tensor } from "./tensor.js";

/** An interpretation of ops for tensors that carry derivative information at one level. */
export interface Trace {
  readonly level: number;
  /** False once the transform that owns the trace has returned: its leftover tracers act as their primal values. */
  readonly active: boolean;
  /** Runs `def` on inputs of which at least one is a tracer of this trace. */
  process<P>(def: OpDef<P>, inputs: readonly Tensor[], params: P): Tensor;
}

/** Active functional traces, innermost last. */
const STACK: Trace[] = [];
/** > 0 inside `noGrad(fn)`: the imperative trace stops recording. */
let noGradDepth = 0;

/** Pushes a new trace built for the next level and returns it. Pair with `popTrace` in a finally block. */
export function pushTrace<T extends Trace>(make: (level: number) => T): T {
  const trace = make(STACK.length + 1);
  STACK.push(trace);
  return trace;
}

/** Pops `trace`, which must be the innermost one. */
export function popTrace(trace: Trace & { active: boolean }): void {
  trace.active = false;
  const top = STACK.pop();
  if (top !== trace) {
    // Only reachable through a bug in a transform; restore what we can rather than corrupt later calls.
    if (top !== undefined) STACK.push(top);
    const i = STACK.indexOf(trace);
    if (i >= 0) STACK.splice(i, 1);
  }
}

/** Number of active functional traces (0 outside every transform); tests use it to check clean-up after errors. */
export function traceDepth(): number {
  return STACK.length;
}

/** True inside `noGrad`. */
export function isNoGrad(): boolean {
  return noGradDepth > 0;
}

/**
 * Runs `fn` without recording operations on `requiresGrad` tensors (PyTorch's `torch.no_grad()`):
 * results are plain tensors. Functional transforms (`grad`, `jvp`, ...) are unaffected.
 */
export function noGrad<T>(fn: () => T): T {
  noGradDepth++;
  try {
    return fn();
  } finally {
    noGradDepth--;
  }
}

/** Applies an op: to concrete tensors directly, otherwise through the highest-level trace among the inputs. */
export function bind<P>(def: OpDef<P>, inputs: readonly Tensor[], params: P): Tensor {
  let top: Trace | null = null;
  for (let i = 0; i < inputs.length; i++) {
    const t = inputs[i]!._trace;
    if (t !== null && (top === null || t.level > top.level)) top = t;
  }
  if (top === null) return forward(def, inputs, params);
  if (!top.active || (top.level === 0 && noGradDepth > 0)) return bind(def, lowerFrom(inputs, top), params);
  return top.process(def, inputs, params);
}

/**
 * `def.forward` on concrete inputs, none of them released by a scope, with an out-of-memory error told in the op's
 * terms: its name and its inputs' shapes.
 */
function forward<P>(def: OpDef<P>, inputs: readonly Tensor[], params: P): Tensor {
  for (let i = 0; i < inputs.length; i++) if (inputs[i]!._data === RELEASED_STORAGE) throw releasedError(inputs[i]!, def.name);
  try {
    return def.forward(inputs, params);
  } catch (err) {
    if (!(err instanceof OutOfMemoryError)) throw err;
    const shapes = inputs.map((x) => formatShape(x.shape)).join(" and ");
    throw new OutOfMemoryError(`${def.name}: ${err.message} (inputs of shape ${shapes})`);
  }
}

/** Replaces the tracers of `trace` by their primal values. */
export function lowerFrom(inputs: readonly Tensor[], trace: Trace): Tensor[] {
  const out = new Array<Tensor>(inputs.length);
  for (let i = 0; i < inputs.length; i++) {
    const x = inputs[i]!;
    out[i] = x._trace === trace ? x._primal! : x;
  }
  return out;
}
