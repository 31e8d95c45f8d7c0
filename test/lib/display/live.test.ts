// Live plots and progress: one output updated in place, throttled (counted with a fake kernel hook), final state full.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { livePlot, liveTraining } from "../../../lib/display/live.js";
import type { MimeBundle } from "../../../lib/display/mime.js";
import { formatDuration, progress, progressBundle } from "../../../lib/display/progress.js";
import { LiveOutput } from "../../../lib/display/throttle.js";
import { parseXml } from "./xml.js";

const HOOK = Symbol.for("gradlab.display");

interface Call {
  kind: "display" | "update";
  id: string | undefined;
  bundle: MimeBundle;
}

let calls: Call[] = [];

beforeEach(() => {
  calls = [];
  (globalThis as Record<symbol, unknown>)[HOOK] = {
    display: (bundle: MimeBundle, id?: string) => calls.push({ kind: "display", id, bundle }),
    update: (bundle: MimeBundle, id: string) => calls.push({ kind: "update", id, bundle }),
    clear: () => {},
  };
});

afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[HOOK];
});

/** A fake clock advanced by hand, so throttling is tested without sleeping. */
function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("livePlot", () => {
  it("100,000 pushes over 10 s of (fake) time: one display, about 5 updates per second, final update complete", () => {
    const c = clock();
    const live = livePlot({ now: c.now, title: "loss" });
    for (let i = 0; i < 100_000; i++) {
      live.push(i, 1 / (i + 1));
      c.advance(0.1);
    }
    live.done();
    expect(calls.filter((k) => k.kind === "display")).toHaveLength(1);
    const updates = calls.filter((k) => k.kind === "update");
    expect(updates.length).toBeGreaterThanOrEqual(45);
    expect(updates.length).toBeLessThanOrEqual(52); // 10 s at <= 5/s, plus the final flush
    expect(new Set(calls.map((k) => k.id))).toEqual(new Set([live.id]));
    const last = calls[calls.length - 1]!.bundle;
    expect(Object.keys(last)).toEqual(expect.arrayContaining(["application/vnd.plotly.v1+json", "image/svg+xml", "text/html", "text/plain"]));
    parseXml(last["image/svg+xml"] as string);
    const spec = last["application/vnd.plotly.v1+json"] as { data: { x: number[] }[] };
    expect(spec.data[0]!.x[spec.data[0]!.x.length - 1]).toBe(99_999); // the last point made it into the final state
    expect(live.count()).toBe(100_000);
    expect(JSON.stringify(last).length).toBeLessThan(200_000);
  });

  it("pushes within the interval are coalesced; done() always sends the final state", () => {
    const c = clock();
    const live = livePlot({ now: c.now });
    live.push(0, 1);
    live.push(1, 0.5);
    live.push(2, 0.25);
    expect(calls.map((k) => k.kind)).toEqual(["display"]);
    c.advance(250);
    live.push(3, 0.2);
    expect(calls.map((k) => k.kind)).toEqual(["display", "update"]);
    live.done();
    expect(calls.map((k) => k.kind)).toEqual(["display", "update", "update"]);
  });

  it("several series share one chart", () => {
    const c = clock();
    const live = livePlot({ now: c.now });
    live.push(0, 1, "train");
    live.push(0, 2, "val");
    live.done();
    const spec = calls[calls.length - 1]!.bundle["application/vnd.plotly.v1+json"] as { data: { name: string }[] };
    expect(spec.data.map((d) => d.name)).toEqual(["train", "val"]);
  });

  it("outside the kernel (no hook) nothing is sent and the figure is still available", () => {
    delete (globalThis as Record<symbol, unknown>)[HOOK];
    const live = livePlot();
    for (let i = 0; i < 1000; i++) live.push(i, i * i);
    live.done();
    expect(calls).toHaveLength(0);
    expect(live.figure().bundle()["text/plain"]).toContain("1000 points");
  });

  it("a trailing timer flushes pushes that stop inside the interval (async loops)", async () => {
    const live = livePlot({ intervalMs: 20 });
    live.push(0, 1);
    live.push(1, 2);
    expect(calls).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 80));
    expect(calls).toHaveLength(2);
    const spec = calls[1]!.bundle["application/vnd.plotly.v1+json"] as { data: { x: number[] }[] };
    expect(spec.data[0]!.x).toEqual([0, 1]);
    live.done();
  });
});

describe("LiveOutput throttling", () => {
  it("slow renders stretch the interval so rendering stays under ~5% of the time", () => {
    const c = clock();
    const out = new LiveOutput(() => {
      c.advance(50); // a 50 ms render
      return { "text/plain": "x" };
    }, { now: c.now });
    for (let i = 0; i < 10_000; i++) {
      out.touch();
      c.advance(1);
    }
    out.close();
    // 10 s of pushes + 50 ms per render: renders at most every 1 s (20 x 50 ms) instead of every 200 ms.
    expect(calls.length).toBeGreaterThanOrEqual(8);
    expect(calls.length).toBeLessThanOrEqual(12);
  });
});

describe("progress", () => {
  it("progressBundle shows percentage, rate and ETA", () => {
    const b = progressBundle({ step: 250, total: 1000, elapsedMs: 5000, title: "fit", metrics: { loss: 0.125 } });
    expect(b["text/plain"]).toBe("fit   25% |████████                      | 250/1000  0:05 < ETA 0:15  50 it/s  loss 0.125");
    expect(b["text/html"]).toContain("width:25%");
    expect(progressBundle({ step: 7, elapsedMs: 2000, done: true })["text/plain"]).toBe("7  0:02  3.5 it/s  done");
    expect(formatDuration(3723)).toBe("1:02:03");
  });

  it("a progress handle updates one output in place and ends at 100%", () => {
    const c = clock();
    const bar = progress({ total: 10_000, now: c.now });
    for (let i = 0; i < 10_000; i++) {
      bar.tick();
      c.advance(1);
    }
    bar.done();
    expect(calls.filter((k) => k.kind === "display")).toHaveLength(1);
    expect(calls.length).toBeLessThanOrEqual(52);
    expect(calls[calls.length - 1]!.bundle["text/plain"]).toContain("100% |");
    expect(calls[calls.length - 1]!.bundle["text/plain"]).toContain("10000/10000");
  });
});

describe("liveTraining (the API nn.fit calls)", () => {
  it("shows a progress bar and a live loss curve as two outputs, each updated in place", () => {
    const c = clock();
    const live = liveTraining({ title: "MLP", totalSteps: 500, now: c.now, logY: true });
    for (let step = 0; step < 500; step++) {
      live.push(step, Math.exp(-step / 100), step % 50 === 0 ? { val: Math.exp(-step / 90) } : undefined);
      c.advance(10);
    }
    live.done();
    const ids = [...new Set(calls.map((k) => k.id))];
    expect(ids).toHaveLength(2);
    expect(calls.filter((k) => k.kind === "display")).toHaveLength(2);
    const lastOf = (id: string) => calls.filter((k) => k.id === id).pop()!.bundle;
    const [progressId, plotId] = ids as [string, string];
    expect(lastOf(progressId)["text/plain"]).toMatch(/MLP\s+100% .* 500\/500 .* loss 0\.006806/);
    const spec = lastOf(plotId)["application/vnd.plotly.v1+json"] as { data: { name: string }[]; layout: { yaxis: { type: string } } };
    expect(spec.data.map((d) => d.name)).toEqual(["loss", "val"]);
    expect(spec.layout.yaxis.type).toBe("log");
    expect(calls.length).toBeLessThan(70); // 5 s of fake time: ~25 updates per output at most
  });
});
