// The numpy reference as one long-lived /usr/bin/python3 process (test/fuzz/numpy_ref.py) fed batches of cases.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import type { Case, Operand } from "./cases.js";

export const PYTHON = "/usr/bin/python3";
const SCRIPT = fileURLToPath(new URL("./numpy_ref.py", import.meta.url));

/** Whether /usr/bin/python3 can import numpy. */
export function hasNumpy(): boolean {
  const r = spawnSync(PYTHON, ["-c", "import numpy"], { stdio: "ignore" });
  return r.status === 0;
}

export const b64 = (a: Float64Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");
export function unb64(s: string): Float64Array {
  const buf = Buffer.from(s, "base64");
  const out = new Float64Array(buf.length / 8);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

export type ForwardAnswer = { shape: number[]; dtype: string; data: Float64Array; allowed: Float64Array } | { error: string };
export type DirectionalAnswer = { shape: number[]; data: Float64Array; unstable: boolean } | { error: string };

function wireOperand(o: Operand): Record<string, unknown> {
  return { kind: o.kind, shape: o.shape, base: o.base, dtype: o.dtype, data: b64(o.data), perm: o.perm, ranges: o.ranges };
}

function wireCase(c: Case): Record<string, unknown> {
  return { op: c.op, dtype: c.dtype, params: c.params, inputs: c.inputs.map(wireOperand) };
}

export class NumpyReference {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly waiting = new Map<number, (line: Record<string, unknown>) => void>();
  private nextId = 0;
  private stderr = "";

  constructor() {
    this.proc = spawn(PYTHON, [SCRIPT], { stdio: ["pipe", "pipe", "pipe"] });
    this.proc.stderr.on("data", (d: Buffer) => (this.stderr += d.toString()));
    createInterface({ input: this.proc.stdout, crlfDelay: Infinity }).on("line", (line) => {
      const msg = JSON.parse(line) as { id: number };
      this.waiting.get(msg.id)?.(msg as unknown as Record<string, unknown>);
      this.waiting.delete(msg.id);
    });
    this.proc.on("exit", (code) => {
      for (const [, resolve] of this.waiting) resolve({ crashed: `numpy reference exited (${code}): ${this.stderr}` });
      this.waiting.clear();
    });
  }

  private request(mode: string, cases: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (msg) => (msg.crashed ? reject(new Error(String(msg.crashed))) : resolve(msg.results as Record<string, unknown>[])));
      this.proc.stdin.write(JSON.stringify({ id, mode, cases }) + "\n");
    });
  }

  /** numpy's result of each case, with the absolute error allowed per element. */
  async forward(cases: readonly Case[]): Promise<ForwardAnswer[]> {
    const res = await this.request("forward", cases.map(wireCase));
    return res.map((r) => (r.error !== undefined ? { error: String(r.error) } : {
      shape: r.shape as number[], dtype: String(r.dtype), data: unb64(String(r.data)), allowed: unb64(String(r.allowed)),
    }));
  }

  /** Central-difference directional derivative of each case's function along `tangents` (null: held constant). */
  async directional(cases: readonly { c: Case; tangents: (Float64Array | null)[] }[]): Promise<DirectionalAnswer[]> {
    const res = await this.request("fd", cases.map(({ c, tangents }) => ({ ...wireCase(c), tangents: tangents.map((t) => (t ? b64(t) : null)) })));
    return res.map((r) => (r.error !== undefined ? { error: String(r.error) } : {
      shape: r.shape as number[], data: unb64(String(r.data)), unstable: Boolean(r.unstable),
    }));
  }

  close(): void {
    this.proc.stdin.end();
  }
}
