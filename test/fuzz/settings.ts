// Run settings of the differential suite: seed and case counts (from `npm run fuzz` or the defaults of a CI run).
const int = (v: string | undefined): number | undefined => (v === undefined || v === "" ? undefined : Number.parseInt(v, 10));

/**
 * A fresh random seed per run unless GRADLAB_FUZZ_SEED is set: every CI run explores new cases instead of re-checking
 * the same ones, and the printed seed replays any failure exactly (`npm run fuzz -- --seed S`). Each test file draws
 * and prints its own.
 */
export const seed: number = int(process.env.GRADLAB_FUZZ_SEED) ?? Math.floor(Math.random() * 0x7fffffff);
// Per run: 40,000 forward cases (about 10 s on two cores) and 8,000 gradient cases, of which about 6% land on a kink
// and are skipped (some 7,500 checked).
export const forwardCases: number = int(process.env.GRADLAB_FUZZ_CASES) ?? 40_000;
export const gradCases: number = int(process.env.GRADLAB_FUZZ_GRAD_CASES) ?? 8_000;
/** Replays only case number `only` of the seed. */
export const only: number | undefined = int(process.env.GRADLAB_FUZZ_ONLY);

export const replayHint = (kind: "forward" | "grad", i: number): string =>
  `npm run fuzz -- --seed ${seed} --only ${i} --${kind}`;
