// Test set-up shared by the kernel suites: the enclosing describe runs on two threads, a worker ready and splitting
// forced however busy the machine is; the thread count and the adaptive split come back afterwards.
import { afterAll, beforeAll, expect } from "vitest";
import { setAdaptive, setThreads, threadsWanted, waitForHelpers } from "../../../lib/backend/pool.js";
import { kernels } from "../../../lib/backend/wasm.js";

export function onTwoThreads(): void {
  const savedThreads = threadsWanted();
  beforeAll(() => {
    setThreads(2);
    setAdaptive(false);
    expect(waitForHelpers(kernels()!)).toBe(1);
  });
  afterAll(() => {
    setAdaptive(true);
    setThreads(savedThreads);
  });
}
