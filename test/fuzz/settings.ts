// Run settings of the differential suite: seed and case counts (from `npm run fuzz` or the defaults of a CI run).
const int = (v: string | undefined): number | undefined => (v === undefined || v === "" ? undefined : Number.parseInt(v, 10));

/**
 * A fresh random seed per run unless GRADLAB_FUZZ_SEED is set: every CI run explores new cases, and the printed seed
 * replays any failure exactly (`npm run fuzz -- --seed S`).
 */
export const seed: number = int(process.env.GRADLAB_FUZZ_SEED) ?? Math.floor(Math.random() * 0x7fffffff);
export const forwardCases: number = int(process.env.GRADLAB_FUZZ_CASES) ?? 20_000;
// About 5% of gradient cases land on a kink and are skipped, so 5,600 drawn leaves over 5,000 checked.
export const gradCases: number = int(process.env.GRADLAB_FUZZ_GRAD_CASES) ?? 5_600;
/** Replays only case number `only` of the seed. */
export const only: number | undefined = int(process.env.GRADLAB_FUZZ_ONLY);

export const replayHint = (kind: "forward" | "grad", i: number): string =>
  `npm run fuzz -- --seed ${seed} --only ${i} --${kind}`;
