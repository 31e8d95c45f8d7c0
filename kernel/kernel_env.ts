// Environment variables the kernel process starts with: written into the kernelspec's `env` and set by every launcher
// of this package's kernel (`gradlab run`, the client), so cells run alike however the kernel was started.
import { MALLOC_SETTINGS } from "../lib/backend/malloc_tuning.js";

/**
 * glibc's malloc thresholds (see lib/backend/malloc_tuning.ts), as environment variables so that they hold from the
 * process's first allocation; the library applies the same values itself in scripts started without them.
 */
export const KERNEL_ENV: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(MALLOC_SETTINGS).map(([name, value]) => [name, String(value)]));
