// Seeded minibatch iteration over datasets whose tensors share their first axis ({x, y}, [x, y] or one tensor).
import { formatShape, take, type Rng } from "../optim/core_api.js";
import type { Params } from "../optim/transform.js";
import { flatten } from "../optim/leaves.js";

export interface BatchOptions {
  batchSize: number;
  /** Reorder the rows each pass (requires `rng`, so runs are reproducible). Default false. */
  shuffle?: boolean;
  rng?: Rng;
  /** Skip the last batch when it is smaller than batchSize. Default false. */
  dropLast?: boolean;
}

/** Number of rows (first axis) shared by every tensor of the dataset. */
export function datasetSize(data: Params): number {
  const leaves = flatten(data).leaves;
  if (leaves.length === 0) throw new Error("batches: the dataset holds no tensors");
  const n = leaves[0]!.shape[0];
  for (const t of leaves) {
    if (t.ndim === 0 || t.shape[0] !== n) {
      throw new Error(`batches: every tensor needs the same first axis; got shapes ${leaves.map((l) => formatShape(l.shape)).join(", ")}`);
    }
  }
  return n ?? 0;
}

/** Yields minibatches shaped like `data` (same tree, rows selected on axis 0), one pass over the data. */
export function* batches<D extends Params>(data: D, options: BatchOptions): Generator<D> {
  const n = datasetSize(data);
  const { batchSize } = options;
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new Error(`batches: invalid batchSize ${batchSize} (must be an integer >= 1)`);
  if (options.shuffle && options.rng === undefined) throw new Error("batches: shuffle needs an explicit rng (e.g. rng(0))");
  const order = options.shuffle ? options.rng!.permutation(n) : Array.from({ length: n }, (_, i) => i);
  const flat = flatten(data);
  for (let start = 0; start < n; start += batchSize) {
    const idx = order.slice(start, start + batchSize);
    if (options.dropLast && idx.length < batchSize) break;
    yield flat.rebuild(flat.leaves.map((t) => (idx.length === n && !options.shuffle ? t : take(t, idx, 0)))) as D;
  }
}
