// Derivative checks of one case: gradlab's vjp and jvp of the case's function, written as the code a user would run.
import * as gl from "../../lib/index.js";
import { baseExpr, fillValues, opExpr, operandExpr, outcomeOf, sizeOf, viewExpr, type Case, type Operand } from "./cases.js";

/** How the cotangent reaches the pullback: an ordinary tensor, a lazy constant, or implicitly through grad(sum) / grad(mean). */
export type CotangentKind = "tensor" | "full" | "sum" | "mean";

export interface DerivativeSetup {
  /** Operand indices that are differentiated (the rest are constants inside f). */
  primals: number[];
  /** gradlab source of f, the primal values, and the expressions run (also the reproduction). */
  fSource: string;
  primalExprs: string[];
  tangents: Float64Array[];
  tangentExprs: string[];
  ctKind: CotangentKind;
  ct: Float64Array;
  ctExpr: string;
  outShape: number[];
  /** f at the primals. */
  value: Float64Array;
}

export interface Derivatives {
  /** jvp(f, primals, tangents): the tangent of the output. */
  jvp: Float64Array;
  jvpShape: number[];
  /** vjp(f, primals)(ct): one cotangent per primal. */
  vjp: { shape: number[]; dtype: string; data: Float64Array }[];
}

const isPrimal = (c: Case, o: Operand, i: number): boolean => o.kind !== "number" && !(c.op === "where" && i === 0);

/** The shape of a primal's value: the stored base for views, the operand shape otherwise. */
const primalShape = (o: Operand): number[] => (o.kind === "lazy" || o.kind === "scalar" ? o.shape : o.base);

function nestedLit(data: Float64Array, shape: readonly number[]): string {
  const n = sizeOf(shape);
  const flat = `gl.tensor([${Array.from(data.subarray(0, n)).map((v) => (Object.is(v, -0) ? "-0" : String(v))).join(", ")}])`;
  return `gl.reshape(${flat}, [${shape.join(", ")}])`;
}

/** Draws tangents and a cotangent for `c` (deterministically from `seed`) and writes the code that will run. */
export function setupDerivatives(c: Case, seed: number): DerivativeSetup {
  const primals = c.inputs.flatMap((o, i) => (isPrimal(c, o, i) ? [i] : []));
  const args = primals.map((i) => `x${i}`);
  const inner = c.inputs.map((o, i) => (primals.includes(i) ? viewExpr(o, `x${i}`) : operandExpr(o, i, Infinity)));
  const fSource = `(${args.join(", ")}) => ${opExpr(c, inner)}`;
  const primalExprs = primals.map((i) => {
    const o = c.inputs[i]!;
    return o.kind === "lazy" || o.kind === "scalar" ? operandExpr(o, i, Infinity) : baseExpr(o, i, Infinity);
  });
  const tangents = primals.map((i, k) => fillValues(sizeOf(primalShape(c.inputs[i]!)), seed + 7919 * (k + 1), "grad", "float64"));
  const tangentExprs = primals.map((i, k) => nestedLit(tangents[k]!, primalShape(c.inputs[i]!)));
  const y = run(`(${fSource})(${primalExprs.join(", ")})`) as gl.Tensor;
  const outShape = [...y.shape];
  const ctKind = (["tensor", "tensor", "full", "sum", "mean"] as const)[seed % 5]!;
  const n = sizeOf(outShape);
  let ct: Float64Array;
  let ctExpr: string;
  if (ctKind === "tensor") {
    ct = fillValues(n, seed + 31, "grad", "float64");
    ctExpr = nestedLit(ct, outShape);
  } else if (ctKind === "full") {
    const v = fillValues(1, seed + 31, "grad", "float64")[0]!;
    ct = new Float64Array(n).fill(v);
    ctExpr = `gl.full([${outShape.join(", ")}], ${v})`;
  } else {
    ct = new Float64Array(n).fill(ctKind === "sum" ? 1 : 1 / n);
    ctExpr = ctKind;
  }
  return { primals, fSource, primalExprs, tangents, tangentExprs, ctKind, ct, ctExpr, outShape, value: outcomeOf(y).data };
}

function run(src: string): unknown {
  return new Function("gl", `"use strict"; return (${src});`)(gl);
}

/** The gradlab code computing the vjp of the setup (grad of sum/mean for the implicit cotangents). */
export function vjpSource(s: DerivativeSetup): string {
  if (s.ctKind === "sum" || s.ctKind === "mean") {
    const args = s.primals.map((i) => `x${i}`).join(", ");
    return `gl.grad((${args}) => gl.${s.ctKind}((${s.fSource})(${args})), {argnums: [${s.primals.map((_, k) => k).join(", ")}]})(${s.primalExprs.join(", ")})`;
  }
  return `gl.vjp(${s.fSource}, ${s.primalExprs.join(", ")})[1](${s.ctExpr})`;
}

export function jvpSource(s: DerivativeSetup): string {
  return `gl.jvp(${s.fSource}, [${s.primalExprs.join(", ")}], [${s.tangentExprs.join(", ")}])[1]`;
}

/** Runs gradlab's jvp and vjp for the setup. */
export function evaluateDerivatives(s: DerivativeSetup): Derivatives {
  const t = outcomeOf(run(jvpSource(s)));
  const g = run(vjpSource(s)) as unknown[];
  return { jvp: t.data, jvpShape: t.shape, vjp: g.map((x) => outcomeOf(x)) };
}

/** The case as the numpy side sees it for finite differences: lazy primals become ordinary (perturbable) tensors. */
export function perturbableCase(c: Case, s: DerivativeSetup): { c: Case; tangents: (Float64Array | null)[] } {
  const inputs = c.inputs.map((o, i): Operand => {
    if (!s.primals.includes(i) || (o.kind !== "lazy" && o.kind !== "scalar")) return o;
    return { ...o, kind: "tensor", base: o.shape, data: new Float64Array(sizeOf(o.shape)).fill(o.data[0]!) };
  });
  const tangents = c.inputs.map((_, i) => (s.primals.includes(i) ? s.tangents[s.primals.indexOf(i)]! : null));
  return { c: { ...c, inputs }, tangents };
}
