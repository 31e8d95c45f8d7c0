// The memory check before large allocations: an oversized tensor becomes an OutOfMemoryError naming what was asked,
// instead of the system killing the process when the pages are first touched.
import { freemem } from "node:os";
import { OutOfMemoryError } from "../tensor/errors.js";
import { formatShape } from "../tensor/shape.js";

/** Allocations below this are not checked (reading the system's free memory costs microseconds). */
const CHECK_FROM_BYTES = 64 << 20;

const UNITS: Readonly<Record<string, number>> = { "": 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/** GRADLAB_MEMORY_LIMIT as bytes ("1.5GiB", "512MiB", "4G", a plain number of bytes), or null when unset or unreadable. */
export function parseMemoryLimit(text: string | undefined): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text ?? "");
  if (m === null) return null;
  return Number(m[1]) * UNITS[m[2]!.toLowerCase()]!;
}

export function formatBytes(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** Throws OutOfMemoryError when `count` elements of `bytesPerElement` cannot be given to one tensor now. */
export function checkAllocation(count: number, bytesPerElement: number, dtype: string): void {
  const bytes = count * bytesPerElement;
  if (!(bytes >= CHECK_FROM_BYTES)) return;
  const limit = parseMemoryLimit(process.env.GRADLAB_MEMORY_LIMIT);
  const available = limit ?? freemem();
  if (bytes <= available) return;
  const why = limit !== null
    ? `more than GRADLAB_MEMORY_LIMIT=${process.env.GRADLAB_MEMORY_LIMIT} allows`
    : `more than the ${formatBytes(available)} of memory the system has available`;
  throw new OutOfMemoryError(
    `out of memory: a ${dtype} tensor of ${count.toLocaleString("en-US")} elements needs ${formatBytes(bytes)}, ${why}`);
}

/**
 * Throws OutOfMemoryError, naming `op` and `shape`, when float64 values for a tensor of `shape` cannot be held now:
 * creation functions compute their values in float64 before storing them in the tensor's dtype.
 */
export function reserveValues(shape: readonly number[], op: string): void {
  try {
    checkAllocation(shape.reduce((n, d) => n * d, 1), 8, "float64");
  } catch (err) {
    if (!(err instanceof OutOfMemoryError)) throw err;
    throw new OutOfMemoryError(`${op}: ${err.message} (shape ${formatShape(shape)})`);
  }
}
