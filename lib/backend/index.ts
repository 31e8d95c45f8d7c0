// The backend seam as ops see it: the active backend (fast by default) and a way to run code on another one.
import type { Backend } from "./backend.js";
import { fastBackend } from "./fast.js";

export type { AdamCoefficients, Backend, BinaryFn, ReduceFn, UnaryFn } from "./backend.js";
export { fastBackend, FastBackend } from "./fast.js";
export { referenceBackend } from "./reference.js";
export { backendInfo, type BackendInfo } from "./info.js";

let active: Backend = fastBackend;

/** The backend every op computes with. */
export function backend(): Backend {
  return active;
}

/** Runs `fn` with every op computed by `b` (the reference backend, in tests), then restores the previous one. */
export function withBackend<T>(b: Backend, fn: () => T): T {
  const previous = active;
  active = b;
  try {
    return fn();
  } finally {
    active = previous;
  }
}
