// glibc's malloc thresholds in a plain Node script (no kernelspec environment): gradlab applies the kernel's settings
// before its first big buffer, so such buffers come from the heap instead of fresh mapped pages, and leaves a choice
// made in the environment alone. Observed through glibc's own accounting (mallinfo2), in fresh processes.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { requireTool } from "../../helpers/require.js";

const entry = join(process.cwd(), "dist", "lib", "index.js");
const built = requireTool(`the built library at ${entry} (npm run build)`, existsSync(entry));
const koffiPath = (() => {
  try {
    return createRequire(import.meta.url).resolve("koffi");
  } catch {
    return null;
  }
})();
const glibc = requireTool("glibc with koffi (mallinfo2)", process.platform === "linux" && koffiPath !== null);

/**
 * Bytes of mapped (mmap) chunks a 4 MiB buffer adds before and after a gradlab op with a 320 KB result, and what
 * backendInfo() says, in a process whose environment is `env` plus the test runner's without the malloc variables.
 */
function probe(env: Record<string, string>): { before: number; after: number; malloc: string } {
  const script = `
    import { createRequire } from "node:module";
    const koffi = createRequire(import.meta.url)(${JSON.stringify(koffiPath)});
    const fields = ["arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost"];
    const info = koffi.struct("mallinfo2_t", Object.fromEntries(fields.map((f) => [f, "size_t"])));
    const mallinfo2 = koffi.load("libc.so.6").func("mallinfo2", info, []);
    const held = [];
    const mappedBy = (bytes) => {
      const before = Number(mallinfo2().hblkhd);
      held.push(Buffer.allocUnsafeSlow(bytes));
      return Number(mallinfo2().hblkhd) - before;
    };
    const before = mappedBy(4 << 20);
    const gl = await import(${JSON.stringify(entry)});
    gl.add(gl.rng(0).normal([200, 200]), 1).sum().item();
    const after = mappedBy(4 << 20);
    console.log(JSON.stringify({ before, after, malloc: gl.backendInfo().malloc }));`;
  const base: NodeJS.ProcessEnv = { ...process.env };
  delete base.MALLOC_MMAP_THRESHOLD_;
  delete base.MALLOC_TRIM_THRESHOLD_;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { env: { ...base, ...env }, encoding: "utf8" });
  expect(r.stderr.replace(/^gradlab: matmul uses.*\n/m, "")).toBe("");
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout.trim().split("\n").pop()!);
}

describe.skipIf(!built || !glibc)("malloc thresholds in a plain script", () => {
  it("without the environment variables, gradlab's settings apply before its first big buffer", () => {
    const r = probe({});
    // glibc's default: a 4 MiB buffer is a fresh mapping (so the check below can fail).
    expect(r.before).toBeGreaterThanOrEqual(4 << 20);
    expect(r.after).toBe(0);
    expect(r.malloc).toBe("glibc, set by gradlab: buffers up to 32 MiB from the heap, 128 MiB of freed memory kept");
  });

  it("a threshold chosen in the environment is left as it is", () => {
    const r = probe({ MALLOC_MMAP_THRESHOLD_: String(1 << 20) });
    expect(r.before).toBeGreaterThanOrEqual(4 << 20);
    expect(r.after).toBeGreaterThanOrEqual(4 << 20);
    expect(r.malloc).toBe(`as the environment sets (MALLOC_MMAP_THRESHOLD_=${1 << 20})`);
  });
});
