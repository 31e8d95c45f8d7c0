// Duck-typed inputs for the builders: plain arrays, typed arrays and tensors (anything with toArray()) become numbers.

/** Numbers as a plot accepts them: an array (possibly nested), a typed array, a tensor, or a single number. */
export type NumericInput = number | ArrayLike<unknown> | { toArray(): unknown } | { item(): number };

function isTensorLike(v: unknown): v is { toArray(): unknown } {
  return typeof v === "object" && v !== null && typeof (v as { toArray?: unknown }).toArray === "function";
}

/** Flattens any numeric input to a number[] (row-major for tensors and nested arrays). */
export function toNumbers(v: unknown, what = "values"): number[] {
  if (typeof v === "number") return [v];
  if (typeof v === "bigint") return [Number(v)];
  if (isTensorLike(v)) return toNumbers(v.toArray(), what);
  if (typeof v === "object" && v !== null && typeof (v as { item?: unknown }).item === "function") {
    return [Number((v as { item(): number }).item())];
  }
  if (ArrayBuffer.isView(v)) {
    // A plain loop: Array.from with a map function is ~50x slower on the 100k-point series live plots hold.
    const src = v as unknown as ArrayLike<number | bigint>;
    const out = new Array<number>(src.length);
    for (let i = 0; i < src.length; i++) out[i] = Number(src[i]);
    return out;
  }
  if (Array.isArray(v)) {
    const out: number[] = [];
    for (const e of v) {
      if (typeof e === "number") out.push(e);
      else if (e === null || e === undefined) out.push(NaN);
      else out.push(...toNumbers(e, what));
    }
    return out;
  }
  throw new TypeError(`plot: ${what} must be numbers, an array, a typed array or a tensor, got ${describe(v)}`);
}

/** Like toNumbers, but a Float64Array or a flat number[] is returned as is (no copy): series can be 100k points long. */
export function toSeriesValues(v: unknown, what: string): readonly number[] | Float64Array {
  if (v instanceof Float64Array) return v;
  if (Array.isArray(v)) {
    let plain = true;
    for (let i = 0; i < v.length && plain; i++) plain = typeof v[i] === "number";
    if (plain) return v as number[];
  }
  return toNumbers(v, what);
}

/** Reads a scalar result (number, 0-d/1-element tensor, or anything with item()). */
export function toScalar(v: unknown, what: string): number {
  if (typeof v === "number") return v;
  const nums = toNumbers(v, what);
  if (nums.length !== 1) throw new TypeError(`plot: ${what} must be a scalar, got ${nums.length} values`);
  return nums[0] as number;
}

/** True for inputs that toNumbers accepts as one series (as opposed to a record or list of named series). */
export function isNumericSeries(v: unknown): boolean {
  if (typeof v === "number" || isTensorLike(v) || ArrayBuffer.isView(v)) return true;
  return Array.isArray(v) && (v.length === 0 || typeof v[0] === "number" || Array.isArray(v[0]) || isTensorLike(v[0]));
}

/** Points [[x, y], ...] from an array of pairs, an (n, 2) tensor, or a flat [x0, y0, x1, y1, ...] list. */
export function toPoints(v: unknown, what: string): [number, number][] {
  const source = isTensorLike(v) ? v.toArray() : v;
  if (Array.isArray(source) && source.every((p) => Array.isArray(p) || isTensorLike(p) || ArrayBuffer.isView(p))) {
    return source.map((p, i) => {
      const xy = toNumbers(p, what);
      if (xy.length !== 2) throw new TypeError(`plot: ${what} point ${i} must have 2 coordinates, got ${xy.length}`);
      return [xy[0] as number, xy[1] as number];
    });
  }
  const flat = toNumbers(source, what);
  if (flat.length % 2 !== 0) throw new TypeError(`plot: ${what} must be (n, 2) points, got ${flat.length} numbers`);
  return Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i] as number, flat[2 * i + 1] as number]);
}

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `array(${v.length})`;
  if (typeof v === "object") return (v as object).constructor?.name ?? "object";
  return typeof v;
}
