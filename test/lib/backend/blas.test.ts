// Finding the native BLAS at run time: a hidden or refused library leaves matmul on the wasm kernel with one notice
// line and no error; backendInfo() says which path runs and why. Each case is a fresh Node process on the build.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nativeBlas, nativeBlasReason } from "../../../lib/backend/blas.js";
import { requireTool } from "../../helpers/require.js";

const entry = join(process.cwd(), "dist", "lib", "index.js");
const built = requireTool(`the built library at ${entry} (npm run build)`, existsSync(entry));

/** Two products above the native threshold and backendInfo(), in a process with GRADLAB_BLAS set as given. */
function probe(setting: string | undefined): { status: number | null; stderr: string; info: { matmul: string }; sums: number[] } {
  const script = `
    import { backendInfo, matmul, rng } from ${JSON.stringify(entry)};
    const a = rng(0).normal([64, 48]), b = rng(1).normal([48, 32]);
    const sums = [matmul(a, b).sum().item(), matmul(a.astype("float32"), b.astype("float32")).sum().item()];
    console.log(JSON.stringify({ info: backendInfo(), sums }));`;
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (setting === undefined) delete env.GRADLAB_BLAS;
  else env.GRADLAB_BLAS = setting;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { env, encoding: "utf8" });
  const out = r.stdout.trim() ? JSON.parse(r.stdout.trim().split("\n").pop()!) : { info: { matmul: "" }, sums: [] };
  return { status: r.status, stderr: r.stderr, ...out };
}

describe.skipIf(!built)("native BLAS discovery", () => {
  const hidden = probe("/nonexistent/libopenblas.so.0");

  it("a hidden library: the wasm path, one notice line on stderr, no error", () => {
    expect(hidden.status).toBe(0);
    expect(hidden.stderr).toBe("gradlab: matmul uses the wasm SIMD kernel: no CBLAS found (tried /nonexistent/libopenblas.so.0)\n");
    expect(hidden.info.matmul).toBe("wasm-simd: no CBLAS found (tried /nonexistent/libopenblas.so.0)");
    expect(hidden.sums.every(Number.isFinite)).toBe(true);
  });

  it("GRADLAB_BLAS=off: the wasm path without a notice", () => {
    const off = probe("off");
    expect([off.status, off.stderr]).toEqual([0, ""]);
    expect(off.info.matmul).toBe("wasm-simd: native BLAS off (GRADLAB_BLAS=off)");
    expect(off.sums).toEqual(hidden.sums);
  });

  // Debian's libblas3 alone (no OpenBLAS) is Netlib's reference BLAS, far slower than the wasm kernel.
  const reference = "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3";
  it.skipIf(!existsSync(reference))("a reference BLAS is refused, with the reason", () => {
    const r = probe(reference);
    expect(r.status).toBe(0);
    expect(r.info.matmul).toMatch(/^wasm-simd: .*libblas\.so\.3 looks like the reference BLAS/);
    expect(r.stderr.split("\n").filter((l) => l !== "")).toHaveLength(1);
  });

  const found = process.env.GRADLAB_BLAS !== "off" &&
    requireTool(`a native CBLAS (${nativeBlasReason() || "found"})`, nativeBlas() !== null);
  it.skipIf(!found)("the system's OpenBLAS by default: named with its file and threads, same numbers as wasm", () => {
    const r = probe(undefined);
    expect([r.status, r.stderr]).toEqual([0, ""]);
    expect(r.info.matmul).toMatch(/^openblas \(\/.*libopenblas.*\.so[.\d]*, up to \d+ threads?; .* below \d+ multiply-adds\)$/);
    r.sums.forEach((s, i) => expect(s).toBeCloseTo(hidden.sums[i]!, i === 0 ? 9 : 3));
  });
});
