// Jacobians and second derivatives composed from vjp/jvp: jacrev, jacfwd, jacobian, hessian (= jacfwd(jacrev)), hvp.
import { asTensor, describeValue } from "../core/convert.js";
import { Tensor } from "../core/tensor.js";
import { GradError } from "../tensor/errors.js";
import { allocate } from "../tensor/dtype.js";
import { stack } from "../ops/indexing.js";
import { reshape } from "../ops/shape.js";
import { zerosLike } from "../ops/create.js";
import { grad, jvp, vjp, type Argnums } from "./transforms.js";

/** Options of the jacobian transforms. */
export interface JacobianOptions {
  /** Argument(s) to differentiate (default 0); a list gives a list of jacobians. */
  argnums?: Argnums;
}

type Fn = (...args: any[]) => any;

/** A one-hot tensor shaped like `like` with a 1 at flat position i. */
function basis(like: Tensor, i: number): Tensor {
  const data = allocate(like.dtype, like.size);
  data[i] = 1;
  return new Tensor(data, like.shape, like.dtype);
}

function tensorResult(op: string, y: unknown): Tensor {
  if (y instanceof Tensor) return y;
  if (typeof y === "number") return asTensor(y);
  throw new GradError(`${op}: f must return a single Tensor, got ${describeValue(y)}`);
}

function selected(op: string, args: unknown[], argnums: Argnums): number[] {
  const list = typeof argnums === "number" ? [argnums] : argnums;
  for (const k of list) {
    if (!Number.isInteger(k) || k < 0 || k >= args.length) {
      throw new GradError(`${op}: argnums ${k} is out of range: f was called with ${args.length} argument${args.length === 1 ? "" : "s"}`);
    }
    if (!(args[k] instanceof Tensor) && typeof args[k] !== "number") {
      throw new GradError(`${op}: argument ${k} must be a Tensor or a number, got ${describeValue(args[k])}`);
    }
  }
  return [...list];
}

/** f restricted to the selected arguments (the others fixed at their given values). */
function restrict(f: Fn, args: unknown[], nums: readonly number[]): Fn {
  return (...xs: unknown[]) => {
    const full = args.slice();
    nums.forEach((k, i) => (full[k] = xs[i]));
    return f(...full);
  };
}

/**
 * Jacobian by reverse mode (one vjp per output element): for y = f(x), `jacrev(f)(x)` has shape
 * `[...y.shape, ...x.shape]`. Best when outputs are fewer than inputs.
 */
export function jacrev(f: Fn, options: JacobianOptions = {}): (...args: any[]) => any {
  return (...args) => {
    const argnums = options.argnums ?? 0;
    const nums = selected("jacrev", args, argnums);
    const xs = nums.map((k) => asTensor(args[k] as Tensor));
    const [out, pullback] = vjp(restrict(f, args, nums), ...xs);
    const y = tensorResult("jacrev", out);
    const rows: Tensor[][] = [];
    for (let i = 0; i < y.size; i++) rows.push(pullback(basis(y, i)) as Tensor[]);
    const jacs = xs.map((x, j) => {
      if (y.size === 0) return reshape(zerosLike(x), [...y.shape, ...x.shape]);
      return reshape(stack(rows.map((r) => r[j]!), 0), [...y.shape, ...x.shape]);
    });
    return typeof argnums === "number" ? jacs[0] : jacs;
  };
}

/**
 * Jacobian by forward mode (one jvp per input element): same result as `jacrev`, best when inputs are fewer than
 * outputs.
 */
export function jacfwd(f: Fn, options: JacobianOptions = {}): (...args: any[]) => any {
  return (...args) => {
    const argnums = options.argnums ?? 0;
    const nums = selected("jacfwd", args, argnums);
    const jacs = nums.map((k) => {
      const x = asTensor(args[k] as Tensor);
      const g = restrict(f, args, [k]);
      const cols: Tensor[] = [];
      let y: Tensor | null = null;
      for (let i = 0; i < x.size; i++) {
        const [out, t] = jvp(g, [x], [basis(x, i)]);
        y = tensorResult("jacfwd", out);
        cols.push(t as Tensor);
      }
      if (y === null) y = tensorResult("jacfwd", g(x));
      if (x.size === 0) return reshape(zerosLike(x), [...y.shape, ...x.shape]);
      return reshape(stack(cols, y.ndim), [...y.shape, ...x.shape]);
    });
    return typeof argnums === "number" ? jacs[0] : jacs;
  };
}

/** The Jacobian (reverse mode; same as `jacrev`). */
export function jacobian(f: Fn, options: JacobianOptions = {}): (...args: any[]) => any {
  return jacrev(f, options);
}

/**
 * Hessian of scalar f with respect to one argument, forward-over-reverse (`jacfwd(jacrev(f))`): shape
 * `[...x.shape, ...x.shape]`.
 */
export function hessian(f: Fn, options: { argnums?: number } = {}): (...args: any[]) => any {
  const argnums = options.argnums ?? 0;
  if (typeof argnums !== "number") throw new GradError("hessian: argnums must be a single index");
  return jacfwd(jacrev(f, { argnums }), { argnums });
}

/**
 * Hessian-vector product H(x) v of scalar f without forming H (forward-over-reverse: jvp of grad). `x` and `v` may
 * be trees of the same structure; the result is shaped like x.
 */
export function hvp(f: Fn, x: unknown, v: unknown): any {
  return jvp(grad(f), [x], [v])[1];
}
