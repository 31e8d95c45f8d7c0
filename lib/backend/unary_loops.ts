// One typed-array loop per elementwise function (each loop monomorphic, so V8 inlines the math): the fast backend's
// unary ops below the wasm size limit or without the wasm kernels.
import type { FloatArray } from "../tensor/dtype.js";
import type { UnaryFn } from "./backend.js";
import { UNARY, sigmoidOf, softplusOf } from "./scalar.js";

type Loop = (x: FloatArray, out: FloatArray) => void;

const relu = UNARY.relu, sign = UNARY.sign;

export const UNARY_LOOPS: Readonly<Record<UnaryFn, Loop>> = {
  neg: (a, o) => { for (let i = 0; i < a.length; i++) o[i] = -a[i]!; },
  exp: (a, o) => { for (let i = 0; i < a.length; i++) o[i] = Math.exp(a[i]!); },
  log: (a, o) => { for (let i = 0; i < a.length; i++) o[i] = Math.log(a[i]!); },
  log1p: (a, o) => { for (let i = 0; i < a.length; i++) o[i] = Math.log1p(a[i]!); },
  sqrt: (a, o) => { for (let i = 0; i < a.length; i++) o[i] = Math.sqrt(a[i]!); },
  square: (a, o) => { for (let i = 0; i < a.length; i++) o[i] = a[i]! * a[i]!; },
  sin: (a, o) => { for (let i = 0; i < a.length; i++) o[i] = Math.sin(a[i]!); },
  cos: (a, o) => { for (let i = 0; i < a.length; i++) o[i] = Math.cos(a[i]!); },
  tan: (a, o) => { for (let i = 0; i < a.length; i++) o[i] = Math.tan(a[i]!); },
  tanh: (a, o) => { for (let i = 0; i < a.length; i++) o[i] = Math.tanh(a[i]!); },
  sigmoid: (a, o) => { for (let i = 0; i < a.length; i++) o[i] = sigmoidOf(a[i]!); },
  relu: (a, o) => { for (let i = 0; i < a.length; i++) o[i] = relu(a[i]!); },
  abs: (a, o) => { for (let i = 0; i < a.length; i++) o[i] = Math.abs(a[i]!); },
  softplus: (a, o) => { for (let i = 0; i < a.length; i++) o[i] = softplusOf(a[i]!); },
  sign: (a, o) => { for (let i = 0; i < a.length; i++) o[i] = sign(a[i]!); },
};
