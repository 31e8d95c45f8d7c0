// Environment variables the kernel process starts with: written into the kernelspec's `env` and set by every launcher
// of this package's kernel (`gradlab run`, the client), so cells run alike however the kernel was started.

/**
 * glibc malloc: by default a buffer of 128 KiB or more gets fresh pages from mmap, and freed memory goes back to the
 * system soon after, so a loop making 256 KiB tensor results faults in ~64 fresh pages per result (~1 ms here, more
 * than the matmul itself) and flips between fast and slow as glibc adapts. Pinning the thresholds serves buffers up to
 * 32 MiB from the heap and keeps up to 128 MiB freed for reuse. Other C libraries ignore these names.
 */
export const KERNEL_ENV: Readonly<Record<string, string>> = {
  MALLOC_MMAP_THRESHOLD_: String(32 << 20),
  MALLOC_TRIM_THRESHOLD_: String(128 << 20),
};
