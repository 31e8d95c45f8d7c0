// numpy-style text for tensors: `tensor([[1., 2.], [3., 4.]])`, common number format, "..." summaries for big tensors.
import type { DType, FloatArray } from "./dtype.js";
import { formatShape, type Shape } from "./shape.js";

/** Tensors with more elements than this print only their edges (numpy's threshold). */
const SUMMARY_THRESHOLD = 1000;
/** How many leading and trailing entries per axis a summary keeps. */
const EDGE_ITEMS = 3;

/** Formats numbers the way numpy does for one array: one style and one width for all of them. */
export function numberFormatter(values: ArrayLike<number>): (v: number) => string {
  let maxAbs = 0;
  let minAbs = Infinity;
  let allIntegers = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    if (a !== 0 && a < minAbs) minAbs = a;
    if (!Number.isInteger(v)) allIntegers = false;
  }
  const scientific = maxAbs >= 1e16 || (!allIntegers && (maxAbs >= 1e8 || minAbs < 1e-4 || maxAbs / minAbs > 1e3 && minAbs < 1e-3));
  const one = (v: number): string => {
    if (Number.isNaN(v)) return "nan";
    if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
    if (scientific) return scientificText(v);
    if (allIntegers) return `${v === 0 && Object.is(v, -0) ? "-0" : v.toFixed(0)}.`;
    return v.toFixed(8).replace(/0+$/, "");
  };
  if (scientific || allIntegers) return one;
  // Pad fixed-point numbers on the right with spaces so the decimal points line up, as numpy does.
  let decimals = 0;
  for (let i = 0; i < values.length; i++) {
    const s = one(values[i]!);
    const dot = s.indexOf(".");
    if (dot >= 0) decimals = Math.max(decimals, s.length - dot - 1);
  }
  return (v) => {
    const s = one(v);
    const dot = s.indexOf(".");
    return dot < 0 ? s : s.padEnd(dot + 1 + decimals, " ");
  };
}

function scientificText(v: number): string {
  const [mantissa, exponent] = v.toExponential(8).split("e") as [string, string];
  const m = mantissa.replace(/0+$/, "").replace(/\.$/, ".");
  const e = Number(exponent);
  return `${m}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
}

/** The nested-bracket body of a tensor, e.g. `[[1., 2.],\n [3., 4.]]`, indented for a given prefix width. */
export function formatValues(data: FloatArray, shape: Shape, indent = 0): string {
  const summarize = data.length > SUMMARY_THRESHOLD;
  // Only the elements that will be shown are formatted (a summary of a million elements shows a few dozen).
  const shown: number[] = [];
  const cells = new Map<number, string>();
  let width = 0;
  let cell = (offset: number): string => {
    shown.push(offset);
    return "";
  };
  const strides: number[] = [];
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  const render = (axis: number, offset: number): string => {
    if (axis === shape.length) return cell(offset);
    const n = shape[axis]!;
    const parts: string[] = [];
    const cut = summarize && n > 2 * EDGE_ITEMS;
    for (let i = 0; i < n; i++) {
      if (cut && i === EDGE_ITEMS) {
        parts.push("...");
        i = n - EDGE_ITEMS - 1;
        continue;
      }
      parts.push(render(axis + 1, offset + i * strides[axis]!));
    }
    const depthLeft = shape.length - axis - 1;
    const sep = depthLeft === 0 ? ", " : "," + "\n".repeat(depthLeft) + " ".repeat(indent + axis + 1);
    return `[${parts.join(sep)}]`;
  };
  render(0, 0);
  const fmt = numberFormatter(shown.map((o) => data[o]!));
  for (const o of shown) {
    const text = fmt(data[o]!);
    cells.set(o, text);
    width = Math.max(width, text.length);
  }
  cell = (offset) => cells.get(offset)!.padStart(width);
  return render(0, 0);
}

/** `tensor([...])` text, with the dtype when it is not the default and a note when the tensor is being traced. */
export function formatTensor(data: FloatArray, shape: Shape, dtype: DType, note = ""): string {
  const prefix = "tensor(";
  const body = shape.length === 0 ? numberFormatter(data)(data[0]!) : formatValues(data, shape, prefix.length);
  const extras: string[] = [];
  if (data.length === 0) extras.push(`shape=${formatShape(shape)}`);
  if (dtype !== "float64") extras.push(`dtype=${dtype}`);
  if (note) extras.push(note);
  return `${prefix}${body}${extras.length ? ", " + extras.join(", ") : ""})`;
}
