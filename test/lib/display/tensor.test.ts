// Tensor and checkGrad displays: tables with shape/dtype, heatmap colours, numpy-like truncation, failures marked.
import { describe, expect, it } from "vitest";
import { checkGradBundle } from "../../../lib/display/check_grad.js";
import { tensorBundle } from "../../../lib/display/tensor.js";
import { checkGrad, customVjp, scalar, tensor, type Tensor } from "../../../lib/index.js";

/** A minimal tensor stand-in (the display is duck-typed over shape/dtype/data/toString). */
function fake(shape: number[], f: (i: number) => number, dtype = "float64") {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Float64Array.from({ length: n }, (_, i) => f(i));
  return { shape, dtype, data, toString: () => `tensor(${shape.join("x")})` };
}

const countMatches = (s: string, re: RegExp): number => (s.match(re) ?? []).length;

describe("tensorBundle", () => {
  it("2-D: table with shape and dtype, cells coloured as a heatmap", () => {
    const b = tensorBundle(fake([2, 3], (i) => i));
    const html = b["text/html"] as string;
    expect(b["text/plain"]).toBe("tensor(2x3)");
    expect(html).toContain("Tensor shape (2, 3) float64");
    expect(countMatches(html, /<td style="background:#/g)).toBe(6);
    expect(html).toContain('background:#440154'); // minimum = first viridis colour
    expect(html).toContain('background:#fde725'); // maximum = last
    expect(html).toMatchSnapshot();
  });

  it("large 2-D tensors are truncated like numpy (3 edge items) and get a heatmap image", () => {
    const html = tensorBundle(fake([100, 50], (i) => Math.sin(i)))["text/html"] as string;
    expect(countMatches(html, /<tr>/g)).toBe(1 + 7); // header + 3 + ⋮ + 3
    expect(html).toContain("<th style=\"color:#888;font-weight:normal\">97</th>");
    expect(html).toContain("⋱");
    expect(html).toMatch(/<img class="gradlab-tensor-heatmap"[^>]*src="data:image\/png;base64,/);
  });

  it("1-D, 0-d and 3-D tensors; float32 dtype is shown", () => {
    expect(tensorBundle(fake([4], (i) => i, "float32"))["text/html"]).toContain("Tensor shape (4,) float32");
    expect(tensorBundle(fake([], () => 2.5))["text/html"]).toContain("<code>2.5</code>");
    expect(tensorBundle(fake([2, 2, 2], (i) => i))["text/html"]).toContain("<pre");
  });

  it("real tensors display through tensorBundle (float32 too)", () => {
    const t = tensor([[1, 2], [3, 4]], { dtype: "float32" });
    const b = (t as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]!.call(t);
    expect(b["text/html"]).toContain("Tensor shape (2, 2) float32");
    expect(b["text/plain"]).toBe(t.toString());
    expect(tensorBundle(scalar(3))["text/html"]).toContain("<code>3</code>");
  });

  it("reads toArray() when there is no flat data", () => {
    const t = { shape: [2, 2], dtype: "float64", toArray: () => [[1, 2], [3, 4]], toString: () => "t" };
    expect(tensorBundle(t)["text/html"]).toContain(">4</td>");
  });
});

describe("checkGradBundle", () => {
  it("checkGrad report rows: errors, tolerance, relative error, failures marked", () => {
    const report = {
      rows: [
        { mode: "rev", order: 1, error: 1e-9, tolerance: 1e-6, scale: 2, ok: true },
        { mode: "fwd", order: 2, error: 0.5, tolerance: 1e-6, scale: 2, ok: false },
      ],
    };
    const b = checkGradBundle(report);
    expect(b["text/plain"]).toContain("checkGrad: 1 of 2 checks FAILED");
    expect(b["text/plain"]).toMatch(/fwd\s+2\s+5\.00e-1\s+2\.50e-1\s+1\.00e-6\s+FAIL/);
    expect(countMatches(b["text/html"] as string, /<tr class="fail"/g)).toBe(1);
    expect(b["text/html"]).toContain("✗ FAIL");
  });

  it("analytic vs numerical values are shown when the rows carry them", () => {
    const b = checkGradBundle({ checks: [{ arg: "x", mode: "rev", analytic: 2, numerical: 2.000001, ok: true }] });
    expect(b["text/plain"]).toContain("checkGrad: all 1 checks passed");
    expect(b["text/plain"]).toMatch(/x\s+rev\s+1\s+2\s+2\s+1\.00e-6\s+5\.00e-7/);
    expect(b["text/html"]).toContain("<th style=\"text-align:right;padding:2px 8px\">analytic</th>");
  });

  it("a real checkGrad report displays its analytic and numerical values; a wrong custom gradient is marked FAIL", () => {
    const good = checkGrad((x: Tensor) => x.mul(x).sum(), [tensor([1, 2, 3])]);
    const display = (r: object) => (r as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]!.call(r);
    const ok = display(good);
    expect(ok["text/plain"]).toMatch(/checkGrad: all \d+ checks passed/);
    expect(ok["text/html"]).toContain(">analytic</th>");
    // d/dx sin(x) claimed to be 2 cos(x): the reverse-mode rows must fail and be marked.
    const badSin = customVjp((x: Tensor) => x.sin(), (ct, [x]) => [ct.mul(x!.cos()).mul(2)]);
    const bad = display(checkGrad((x: Tensor) => badSin(x).sum(), [tensor([0.3, 0.7])], { modes: ["rev"] }));
    expect(bad["text/plain"]).toMatch(/checks FAILED/);
    expect(bad["text/html"]).toContain('<tr class="fail"');
  });
});
