// Error measure of the elementwise kernel tests: distance from a reference value in units in its last place.

/**
 * |got - ref| in ulps of ref (of float32 when f32; subnormal ulps near 0); Infinity when ref is NaN, infinite or
 * zero and got is not the very same value (sign of zero included).
 */
export function ulpError(ref: number, got: number, f32: boolean): number {
  if (Number.isNaN(ref) || !Number.isFinite(ref) || ref === 0) return Object.is(got, ref) ? 0 : Infinity;
  const tiny = f32 ? 2 ** -149 : 2 ** -1074;
  const ulp = Math.max(tiny, (f32 ? 2 ** -23 : 2 ** -52) * 2 ** Math.floor(Math.log2(Math.abs(ref))));
  return Math.abs(got - ref) / ulp;
}
