// fit in the kernel: a progress bar and a live loss curve shown once and updated in place (throttled), never one per step.
import { afterEach, describe, expect, it } from "vitest";
import { rng } from "../../../lib/index.js";
import { Linear, SGD, fit, datasets } from "../../../lib/index.js";

const HOOK = Symbol.for("gradlab.display");
type Call = { kind: "display" | "update"; id: string | undefined; mimes: string[] };

function installFakeKernelHook(): Call[] {
  const calls: Call[] = [];
  (globalThis as Record<symbol, unknown>)[HOOK] = {
    display: (bundle: Record<string, unknown>, id?: string) => calls.push({ kind: "display", id, mimes: Object.keys(bundle) }),
    update: (bundle: Record<string, unknown>, id: string) => calls.push({ kind: "update", id, mimes: Object.keys(bundle) }),
    clear: () => {},
  };
  return calls;
}

afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[HOOK];
});

describe("fit display", () => {
  it("shows its outputs once and updates them in place, far fewer times than there are steps", () => {
    const calls = installFakeKernelHook();
    const data = datasets.linearData(32, { weights: [1, -1], noise: 0.1, rng: rng(0) });
    const history = fit(new Linear(2, 1, { rng: rng(1) }), data, { optimizer: new SGD({ lr: 0.05 }), epochs: 2000 });
    expect(history.steps).toBe(2000);
    const shown = calls.filter((c) => c.kind === "display");
    const ids = new Set(shown.map((c) => c.id));
    expect(shown.length).toBe(ids.size);
    expect(shown.length).toBeGreaterThanOrEqual(1);
    expect(shown.length).toBeLessThanOrEqual(2);
    for (const c of calls.filter((c) => c.kind === "update")) expect(ids.has(c.id)).toBe(true);
    expect(calls.length).toBeLessThan(200);
    // the final update of the loss curve carries the plotly figure with its static SVG (what a saved notebook keeps)
    expect(calls.some((c) => c.mimes.includes("application/vnd.plotly.v1+json") && c.mimes.includes("image/svg+xml"))).toBe(true);
  });

  it("shows nothing with display: false", () => {
    const calls = installFakeKernelHook();
    const data = datasets.linearData(8, { weights: [1], rng: rng(0) });
    fit(new Linear(1, 1), data, { optimizer: new SGD({ lr: 0.1 }), epochs: 5, display: false });
    expect(calls).toEqual([]);
  });
});
