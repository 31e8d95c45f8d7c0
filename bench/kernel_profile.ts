// Where a warm round trip's milliseconds go (node dist/bench/kernel_profile.js [--reps N]): runs gradlab with
// GRADLAB_TRACE set, times each cell kind (identical and changing text) from the client, and splits each round trip
// at the kernel's trace marks (kernel thread, compiler and executor workers), reporting the median of each phase.
import { appendFileSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { gradlabKernelArgv, startKernel } from "../cli/client/index.js";
import { KERNEL_ENV } from "../kernel/kernel_env.js";
import { ROUND_TRIP_CELLS } from "./kernel_cells.js";
import { median, table } from "./timing.js";

const args = process.argv.slice(2);
const REPS = Number(args[args.indexOf("--reps") + 1] ?? 0) || 30;

const dir = await mkdtemp(join(tmpdir(), "gradlab-profile-"));
const traceFile = join(dir, "trace.log");
const clientMark = (label: string) => appendFileSync(traceFile, `${(performance.timeOrigin + performance.now()).toFixed(3)} client ${label}\n`);

interface Line { at: number; thread: string; label: string }

function readTrace(): Line[] {
  return readFileSync(traceFile, "utf8").trim().split("\n").map((line) => {
    const [at, thread, ...label] = line.split(" ");
    return { at: Number(at), thread: thread!, label: label.join(" ") };
  });
}

/** Each round trip's lines between the client's send and its receipt of reply and idle, in time order. */
function roundTrips(lines: Line[], tag: string): Line[][] {
  const sorted = [...lines].sort((a, b) => a.at - b.at);
  const trips: Line[][] = [];
  let current: Line[] | undefined;
  for (const line of sorted) {
    if (line.thread === "client" && line.label === `sends ${tag}`) current = [line];
    else if (current) {
      current.push(line);
      if (line.thread === "client" && line.label === `done ${tag}`) {
        trips.push(current);
        current = undefined;
      }
    }
  }
  return trips;
}

/** Median duration of each step "a -> b" over the round trips (a step missing from a trip counts as 0 there). */
function phases(trips: Line[][]): { rows: string[][]; total: number } {
  const perTrip = trips.map((trip) => {
    const steps = new Map<string, number>();
    for (let i = 1; i < trip.length; i++) {
      const key = `${trip[i - 1]!.label} -> ${trip[i]!.label}`;
      steps.set(key, (steps.get(key) ?? 0) + trip[i]!.at - trip[i - 1]!.at);
    }
    return steps;
  });
  const order: string[] = [];
  for (const steps of perTrip) for (const key of steps.keys()) if (!order.includes(key)) order.push(key);
  const rows = order.map((key) => {
    const values = perTrip.map((steps) => steps.get(key) ?? 0);
    const seen = perTrip.filter((steps) => steps.has(key)).length;
    return [key, median(values).toFixed(2), `${seen}/${perTrip.length}`];
  });
  const total = median(trips.map((trip) => trip[trip.length - 1]!.at - trip[0]!.at));
  return { rows, total };
}

async function main(): Promise<void> {
  const kernel = await startKernel({ argv: gradlabKernelArgv(), env: { ...process.env, ...KERNEL_ENV, GRADLAB_TRACE: traceFile }, readyTimeoutMs: 120_000 });
  try {
    await kernel.client.execute("1 + 1");
    // Past the compiler's idle warm-up and the code-cache write, as a notebook is between a user's cells.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    for (const [kind, code] of Object.entries(ROUND_TRIP_CELLS)) {
      for (const variant of ["identical", "changing"] as const) {
        const tag = `${kind}/${variant}`;
        for (let i = -2; i < REPS; i++) {
          const text = variant === "identical" ? code : `${code} // rep ${i}`;
          clientMark(`sends ${i < 0 ? "warm-up" : tag}`);
          await kernel.client.execute(text, { stopOnError: true, timeoutMs: 60_000 });
          clientMark(`done ${i < 0 ? "warm-up" : tag}`);
          // Idle between requests, as between a user's cells: the compiler's post-cell work is not on the timed path.
          await new Promise((resolve) => setTimeout(resolve, 30));
        }
      }
    }
  } finally {
    await kernel.shutdown();
  }
  const lines = readTrace();
  console.log(`gradlab round-trip profile: ${REPS} round trips per cell kind and variant, medians in ms (marks cost ~0.02 ms each)`);
  for (const kind of Object.keys(ROUND_TRIP_CELLS)) {
    for (const variant of ["identical", "changing"]) {
      const { rows, total } = phases(roundTrips(lines, `${kind}/${variant}`));
      console.log(`\n${kind}, ${variant} text: ${total.toFixed(2)} ms client to client`);
      console.log(table(["step", "ms", "seen"], rows));
    }
  }
}

try {
  await main();
} finally {
  await rm(dir, { recursive: true, force: true });
}
