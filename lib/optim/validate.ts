// Option checks shared by the optimizer classes: errors name the optimizer, the option and the bad value.
import type { Schedule } from "./schedules.js";

export function checkOption(optimizer: string, label: string, value: number | undefined, ok: (v: number) => boolean, must: string): void {
  if (value === undefined) return;
  if (typeof value !== "number" || Number.isNaN(value) || !ok(value)) {
    throw new Error(`${optimizer}: invalid ${label} ${String(value)} (must be ${must})`);
  }
}

export function checkLearningRate(optimizer: string, lr: number | Schedule | undefined): void {
  if (typeof lr === "function") return;
  if (lr === undefined) throw new Error(`${optimizer}: missing learning rate (option lr)`);
  checkOption(optimizer, "learning rate", lr, (v) => v >= 0 && Number.isFinite(v), ">= 0");
}

export const nonNegative = (v: number): boolean => v >= 0 && Number.isFinite(v);
export const inUnitInterval = (v: number): boolean => v >= 0 && v < 1;
