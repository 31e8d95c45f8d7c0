// numpy as a benchmark peer: picks the faster numpy on this machine, runs bench/numpy_peer.py with one BLAS thread,
// and hands its self-timed turns to the round-robin timing of bench/lib.ts.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { KERNEL_ENV } from "../kernel/kernel_env.js";

const here = dirname(fileURLToPath(import.meta.url));
// The script sits beside this file in the sources; the compiled benchmark runs from dist/bench.
const script = import.meta.url.endsWith(".ts") ? resolve(here, "numpy_peer.py") : resolve(here, "../../bench/numpy_peer.py");

/**
 * numpy on one BLAS thread (gradlab's "1 thread" column is the like-for-like one), without this machine's OpenBLAS
 * tuning variables (they slow a current numpy's kernels), and with the kernel's malloc settings, as gradlab runs. With
 * glibc's defaults numpy's time for one workload swung tenfold with the state of its heap: exp(A + b) over 1000²
 * float64 took 1.6 ms in some runs and 14 to 33 in others, where every call's fresh 8 MB arrays were trimmed back to
 * the system on free and page-faulted in again on the next call. The settings keep them in the heap: 1.5 to 1.7 ms.
 */
function peerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...KERNEL_ENV, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
  for (const name of ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"]) delete env[name];
  return env;
}

// A 512² float32 product and exp over 1M float64 values, best of five: enough to tell a tuned numpy from a slow one.
const CALIBRATE = `
import json, sys, time
import numpy as np
a = np.random.default_rng(0).standard_normal((512, 512)).astype(np.float32)
x = np.random.default_rng(1).standard_normal(1_000_000)
def best(f):
    ts = []
    for _ in range(5):
        t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    return min(ts) * 1000
print(json.dumps({"numpy": np.__version__, "python": sys.executable, "ms": best(lambda: a @ a) + best(lambda: np.exp(x))}))
`;

export interface PeerChoice {
  python: string;
  numpy: string;
  ms: number;
}

/** The numpy that runs the calibration fastest among `python3` on PATH and Debian's, with what each took. */
export function chooseNumpy(candidates = ["python3", "/usr/bin/python3"]): { chosen: PeerChoice | null; tried: string[] } {
  const found: PeerChoice[] = [];
  const tried: string[] = [];
  for (const python of candidates) {
    const r = spawnSync(python, ["-c", CALIBRATE], { env: peerEnv(), encoding: "utf8", timeout: 60_000 });
    if (r.status !== 0) {
      tried.push(`${python}: no numpy (${(r.stderr || r.error?.message || "").trim().split("\n").pop()})`);
      continue;
    }
    const info = JSON.parse(r.stdout.trim()) as { numpy: string; python: string; ms: number };
    if (found.some((f) => f.python === info.python)) continue;
    found.push(info);
    tried.push(`numpy ${info.numpy} (${info.python}): ${info.ms.toFixed(1)} ms`);
  }
  found.sort((a, b) => a.ms - b.ms);
  return { chosen: found[0] ?? null, tried };
}

export interface PeerReply {
  times?: number[];
  check?: number;
  rss?: Record<string, number>;
  error?: string;
}

/** A running numpy_peer.py: requests answered in order. */
export class NumpyPeer {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly waiting: ((reply: PeerReply) => void)[] = [];
  private readonly dir: string;
  private ready: Promise<PeerReply>;
  stderr = "";

  /** `inputs`: the benchmark's arrays by name, handed over as float64 files. */
  constructor(readonly choice: PeerChoice, inputs: Record<string, ArrayLike<number>>) {
    this.dir = mkdtempSync(join(tmpdir(), "gradlab-numpy-peer-"));
    for (const [name, values] of Object.entries(inputs)) writeFileSync(join(this.dir, `${name}.f64`), Float64Array.from(values));
    this.proc = spawn(choice.python, [script, this.dir], { env: peerEnv() });
    this.proc.stderr.on("data", (d: Buffer) => (this.stderr += d.toString()));
    this.ready = new Promise((r) => this.waiting.push(r));
    createInterface({ input: this.proc.stdout }).on("line", (line) => this.waiting.shift()?.(JSON.parse(line) as PeerReply));
    this.proc.on("exit", () => {
      for (const w of this.waiting.splice(0)) w({ error: `numpy peer exited: ${this.stderr.trim().split("\n").pop() ?? ""}` });
    });
  }

  async request(req: Record<string, unknown>): Promise<PeerReply> {
    await this.ready;
    const reply = new Promise<PeerReply>((r) => this.waiting.push(r));
    this.proc.stdin.write(JSON.stringify(req) + "\n");
    return reply;
  }

  close(): void {
    this.proc.stdin.end();
    this.proc.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
