// tidy(fn) and keep(x): deterministic reuse of tensor memory. The autodiff transforms and fit run inside tidy, so a
// training loop reuses the same blocks step after step instead of waiting for the collector.
import type { FloatArray } from "../tensor/dtype.js";
import { closeScope, keepStorage, openScope } from "../tensor/scope.js";
import { ValueError } from "../tensor/errors.js";
import { describeValue } from "./convert.js";
import { Tensor } from "./tensor.js";
import { traceDepth } from "./trace.js";

/** Storage reachable from `value`: its tensors (with the values below tracers and tangents) in arrays and objects. */
function reachableStorage(value: unknown): Set<FloatArray> {
  const found = new Set<FloatArray>();
  const seen = new Set<unknown>();
  const visit = (v: unknown): void => {
    if (v === null || typeof v !== "object" || seen.has(v)) return;
    seen.add(v);
    if (v instanceof Tensor) {
      if (v._data !== null) found.add(v._data);
      visit(v._primal);
      visit(v._tangent);
      visit(v.grad);
      if (v._rec !== null) {
        visit(v._rec.inputs);
        visit(v._rec.primals);
      }
      return;
    }
    if (Array.isArray(v)) for (const x of v) visit(x);
    else if (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null) for (const x of Object.values(v)) visit(x);
  };
  visit(value);
  return found;
}

/**
 * Runs `fn` and returns its result; the memory of tensors created inside that the result does not contain is reused
 * at once (TensorFlow.js's tidy). Using such a tensor afterwards is an error that says so: return it, or keep() it.
 * While a transform records (tidy inside grad's function) the decision is left to the outermost tidy.
 */
export function tidy<T>(fn: () => T, name = "tidy"): T {
  if (typeof fn !== "function") throw new TypeError(`tidy: expected a function to run, got ${describeValue(fn)}`);
  return inScope(name, callWithoutArguments<T>, fn, undefined);
}

const callWithoutArguments = <T>(fn: () => T): T => fn();

/**
 * `tidy` for the library's own callers: runs `fn(a, b)` in a scope named `name`. Two arguments instead of a closure,
 * because grad and valueAndGrad open a scope on every call and the closure would be an allocation each time.
 */
export function inScope<A, B, T>(name: string, fn: (a: A, b: B) => T, a: A, b: B): T {
  const scope = openScope(name);
  let result: T;
  try {
    result = fn(a, b);
  } catch (err) {
    closeScope(scope, reachableStorage, err, traceDepth() === 0);
    throw err;
  }
  closeScope(scope, reachableStorage, result, traceDepth() === 0);
  return result;
}

/** Keeps `x`'s memory past every enclosing tidy (and grad, valueAndGrad, fit); returns x. */
export function keep<T extends Tensor>(x: T): T {
  if (!(x instanceof Tensor)) throw new ValueError(`keep: expected a Tensor, got ${describeValue(x)}`);
  for (let cur: Tensor | null = x; cur !== null; cur = cur._primal) if (cur._data !== null) keepStorage(cur._data);
  return x;
}
