// The cells whose warm round trips bench:kernel compares and bench/kernel_profile.ts breaks down.
export const ROUND_TRIP_CELLS = {
  trivial: "1 + 1",
  typed: "function twice(x: number): number {\n  return 2 * x;\n}\ntwice(21)",
  typeError: 'const notANumber: number = "text";',
} as const;
