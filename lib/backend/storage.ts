// Where tensor data lives: blocks of the kernels' wasm memory (shared with the worker threads), so kernels read their
// operands and write their results in place. Returned blocks merge into free ranges that serve any size. Inside a scope
// (grad, valueAndGrad, fit, tidy: scope.ts) every block comes back when the outermost scope ends. Outside every scope,
// big results (1 MiB and more) take blocks, up to a share of the pool, and come back through the collector. Plain
// typed arrays remain for short arrays, smaller results outside scopes, without the wasm kernels, and past the limits.
import { Buffer } from "node:buffer";
import { totalmem } from "node:os";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { DType, FloatArray } from "../tensor/dtype.js";
import { noteAllocation, scopeOpen, setStorageCopy, setStorageRelease, TRACKED_FROM_BYTES } from "../tensor/scope.js";
import { checkAllocation } from "./memory.js";
import { kernels, type Kernels } from "./wasm.js";
import { DEFAULT_MMAP_THRESHOLD_BYTES, tuneMalloc } from "./malloc_tuning.js";

const PAGE = 65536;
const WASM32_BYTES = 2 ** 32;
const ALIGN = 64;
// Plain arithmetic, not bit masks: offsets reach 4 GiB, beyond int32.
const align = (x: number): number => Math.ceil(x / ALIGN) * ALIGN;

/** Arrays of fewer bytes stay plain typed arrays: they run JS loops, where a wasm view would only cost its setup. */
export const POOLED_FROM_BYTES = TRACKED_FROM_BYTES;

/** The most memory the pool takes: GRADLAB_POOL_LIMIT, else an eighth of the machine's memory (up to 3 GiB). */
function poolLimit(): number {
  const env = Number(process.env.GRADLAB_POOL_LIMIT);
  if (Number.isFinite(env) && env >= 0) return Math.min(env, WASM32_BYTES - PAGE);
  return Math.min(totalmem() / 8, 3 * 2 ** 30);
}

/**
 * Blocks made outside every scope may take this much of the pool; later ones are plain arrays until some come back.
 * Only the collector returns them, so this bounds what a synchronous loop can leave in the pool between collections
 * (and in all, where the collector's callbacks cannot run on demand and so never run inside the loop).
 */
const UNSCOPED_SHARE_BYTES = 256 << 20;

/**
 * Bytes a request of `bytes` is rounded up to: four steps per power of two (at most 25 % unused), so that a block of a
 * nearby size fits a returned one's range exactly instead of leaving a sliver.
 */
function sizeClass(bytes: number): number {
  const power = 2 ** Math.floor(Math.log2(Math.max(bytes, ALIGN)));
  const quarter = Math.max(power / 4, ALIGN);
  return Math.ceil(bytes / quarter) * quarter;
}

/** Blocks this big are worth a collection before the pool grows for them: fresh pages cost more than a collection. */
const COLLECT_FOR_BYTES = 1 << 20;

/**
 * With on-demand callbacks, the pool collects before growing only once the pace's bytes (CollectionPace) of blocks
 * that the collector returns were handed out since the last collection. Over the unscoped share it collects whenever
 * such a block came since, because a result without a block costs more: it becomes a plain array, so the ops copy
 * operands into the kernels' memory and results out (exp(A + b) over 1000² float64: 11.7 ms a step on plain arrays
 * against 2.8 in blocks).
 */
const GROWTH_COLLECTION_BYTES = 64 << 20;

/**
 * How many bytes of blocks a synchronous loop may take between two collections before the pool grows: 64 MiB to start
 * (a collection every four steps for a loop of 16 MiB of results), doubled while collections take more than a sixth
 * of the loop's time, up to the unscoped share, and halved again once they take less than a twentieth. A full
 * collection costs what the whole heap holds, not what the blocks do: 5-8 ms here on a heap of 6-10 MiB, so at one
 * per 64 MiB a loop of exp(A + b) over 1000² float64 (2.2 ms a step) spent 40 % of its time collecting.
 */
export class CollectionPace {
  bytes = GROWTH_COLLECTION_BYTES;
  private lastEndMs = -Infinity;

  /** After a collection that ran from `startMs` to `endMs`. */
  after(startMs: number, endMs: number): void {
    const took = endMs - startMs;
    const between = startMs - this.lastEndMs;
    this.lastEndMs = endMs;
    if (took > between / 5) this.bytes = Math.min(this.bytes * 2, UNSCOPED_SHARE_BYTES);
    else if (took < between / 20) this.bytes = Math.max(this.bytes / 2, GROWTH_COLLECTION_BYTES);
  }
}

/** Bytes handed out now, the pool's extent, and how many collections it has run. */
export interface PoolUsage {
  liveBytes: number;
  extentBytes: number;
  collections: number;
}

interface LiveBlock {
  bytes: number;
  /** Made outside every scope (counts against UNSCOPED_SHARE_BYTES). */
  unscoped: boolean;
  /** Which allocation of the block this is: a late callback for an earlier allocation must not return a later one. */
  id: number;
}

/** A run of returned bytes between live blocks. */
interface FreeRange {
  start: number;
  end: number;
}

/**
 * Blocks carved out of one growing region (exported for tests). Returned blocks merge with free neighbours into ranges
 * (kept in address order) that serve requests of any size; a range that reaches the top of the pool goes back to the
 * unused region above it, so the pool holds no free range at its top and a run of changing sizes leaves no peaks
 * behind.
 */
export class BlockPool {
  /** Offset -> size and allocation id of every block handed out and not yet returned. */
  private readonly live = new Map<number, LiveBlock>();
  /** Free ranges below the top, by address; none ends at the top. */
  private readonly free: FreeRange[] = [];
  /** Blocks that only the collector returns (see watch). */
  private readonly big = new Map<number, { view: WeakRef<FloatArray> | null; id: number }>();
  /** End of the highest block handed out; above it is unused. */
  private top: number;
  /** The highest the top has been: memory above it is untouched (zero, as wasm memory grows); below, it was used. */
  private highWater: number;
  private readonly limitEnd: number;
  private nextId = 1;
  private unscopedBytes = 0;
  private collectPending = false;
  private collectedThisTask = false;
  /** Bytes of blocks that only the collector returns, handed out since the last collection. */
  private bytesSinceCollection = 0;
  /** Collections run for the pool so far. */
  private collections = 0;
  private readonly pace = new CollectionPace();
  /** Buffers of this memory seen so far (a shared memory hands out a new SharedArrayBuffer after each growth). */
  private readonly buffers = new WeakSet<ArrayBufferLike>();

  /** Where the pool's blocks start: after the kernels' static data and stack. */
  private readonly base: number;

  constructor(readonly k: Kernels) {
    this.base = align(k.exports.__heap_base.value);
    this.top = this.base;
    this.highWater = this.base;
    this.limitEnd = Math.min(this.top + poolLimit(), WASM32_BYTES);
  }

  /**
   * A block of at least `bytes`: its offset, allocation id and how many of its first bytes were used before (the rest
   * are zero); null when the pool is full. Requests go to the smallest free range that holds them; `lasting` ones
   * (kernel scratch, the copy arena, optimizer state) to the lowest, so that they settle low rather than pin the top.
   */
  take(bytes: number, unscoped = false, lasting = false): { offset: number; id: number; usedBytes: number } | null {
    const size = sizeClass(bytes);
    const overShare = (): boolean => unscoped && this.unscopedBytes + size > UNSCOPED_SHARE_BYTES;
    if (overShare() && !(this.collect(0) && !overShare())) {
      this.collectSoon();
      return null;
    }
    let at = this.fit(size, lasting);
    // Before the pool grows for a big block, collect (paced, see collect): the blocks of tensors dropped since come back
    // at once, in this task too where the collector's callbacks run on demand.
    if (at < 0 && size >= COLLECT_FOR_BYTES && this.top + size > this.highWater && this.collect(this.pace.bytes)) {
      at = this.fit(size, lasting);
    }
    let offset: number;
    if (at >= 0) {
      const range = this.free[at]!;
      offset = range.start;
      if (range.end - range.start === size) this.free.splice(at, 1);
      else range.start += size;
    } else {
      const end = this.top + size;
      if (end > this.limitEnd || !this.reach(end)) return null;
      offset = this.top;
      this.top = end;
    }
    const usedBytes = Math.max(0, Math.min(size, this.highWater - offset));
    this.highWater = Math.max(this.highWater, this.top);
    const id = this.nextId++;
    this.live.set(offset, { bytes: size, unscoped, id });
    if (!unscoped) return { offset, id, usedBytes };
    this.unscopedBytes += size;
    // A collection costs more than a fast op on a big block: when the next block like this one would need one (to
    // spare growth or a refusal) and earlier big blocks could come back, it runs in the next task, when the tensors
    // dropped meanwhile are unreachable.
    if (this.big.size > 0 && (overShare() || (this.fit(size, false) < 0 && this.top + size > this.highWater))) {
      this.collectSoon();
    }
    return { offset, id, usedBytes };
  }

  /**
   * Runs the collector and takes back the blocks whose views it found dead; false when it did not run. Without
   * on-demand callbacks, at most once a task: a view made or read in this task stays alive until the task ends
   * (WeakRef semantics), so a second collection in the same synchronous loop would find nothing more. With them, once
   * at least `paceBytes` of blocks that only the collector returns were handed out since the last collection.
   */
  private collect(paceBytes: number): boolean {
    if (this.big.size === 0 || this.collectedThisTask) return false;
    const sync = collector().cleanupSome !== null;
    if (sync && (this.bytesSinceCollection === 0 || this.bytesSinceCollection < paceBytes)) return false;
    const start = performance.now();
    if (!collectGarbage()) return false;
    this.pace.after(start, performance.now());
    this.bytesSinceCollection = 0;
    this.collections++;
    if (sync) return true;
    this.collectedThisTask = true;
    queueMicrotask(() => {
      this.collectedThisTask = false;
    });
    for (const [offset, entry] of this.big) if (entry.view!.deref() === undefined) this.give(offset, entry.id);
    return true;
  }

  /** Collects in the next task: once, however many blocks ask before it runs. */
  private collectSoon(): void {
    if (this.collectPending) return;
    this.collectPending = true;
    setTimeout(() => {
      this.collectPending = false;
      this.collect(0);
    }, 0).unref();
  }

  /** Index of the free range for a block of `size`: the smallest that holds it, or the lowest if `lowest`; -1: none. */
  private fit(size: number, lowest: boolean): number {
    let best = -1;
    let bestSize = Infinity;
    for (let i = 0; i < this.free.length; i++) {
      const range = this.free[i]!;
      const have = range.end - range.start;
      if (have < size || have >= bestSize) continue;
      best = i;
      bestSize = have;
      if (lowest || have === size) break;
    }
    return best;
  }

  /**
   * Notes a block that only the collector returns, with a WeakRef to its view when the collector's callbacks cannot
   * run on demand: a collection then returns the block of a cleared view without waiting for callbacks.
   */
  watch(offset: number, id: number, view: FloatArray | null): void {
    this.big.set(offset, { view: view === null ? null : new WeakRef(view), id });
    this.bytesSinceCollection += this.live.get(offset)?.bytes ?? 0;
  }

  /** Returns allocation `id` of the block at `offset`; a block already returned (or handed out again) is left alone. */
  give(offset: number, id: number): void {
    const block = this.live.get(offset);
    if (block === undefined || block.id !== id) return;
    this.live.delete(offset);
    if (block.unscoped) this.unscopedBytes -= block.bytes;
    if (this.big.get(offset)?.id === id) this.big.delete(offset);
    // Merge with the free ranges on either side (binary search for the first range above the block).
    let lo = 0;
    let hi = this.free.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.free[mid]!.start < offset) lo = mid + 1;
      else hi = mid;
    }
    const before = this.free[lo - 1];
    const after = this.free[lo];
    let start = offset;
    let end = offset + block.bytes;
    let first = lo;
    let merged = 0;
    if (before !== undefined && before.end === start) {
      start = before.start;
      first--;
      merged++;
    }
    if (after !== undefined && after.start === end) {
      end = after.end;
      merged++;
    }
    if (end === this.top) {
      this.free.splice(first, merged);
      this.top = start;
    } else {
      this.free.splice(first, merged, { start, end });
    }
  }

  /** The allocation id of the block at `offset` now (0 when it is not handed out). */
  idAt(offset: number): number {
    return this.live.get(offset)?.id ?? 0;
  }

  /** Grows the memory to at least `end` bytes; false when the system refuses. */
  private reach(end: number): boolean {
    const have = this.k.memory.buffer.byteLength;
    if (end <= have) return true;
    try {
      this.k.memory.grow(Math.ceil((end - have) / PAGE));
      return true;
    } catch {
      return false;
    }
  }

  /** The memory's current buffer, remembered as one of ours. */
  buffer(): SharedArrayBuffer {
    const b = this.k.memory.buffer;
    this.buffers.add(b);
    return b;
  }

  owns(buffer: ArrayBufferLike): boolean {
    return this.buffers.has(buffer);
  }

  /** Bytes handed out now, and the pool's extent (for tests and backendInfo). */
  usage(): PoolUsage {
    let liveBytes = 0;
    for (const block of this.live.values()) liveBytes += block.bytes;
    return { liveBytes, extentBytes: this.highWater - this.base, collections: this.collections };
  }
}

let pool: BlockPool | null = null;
let poolFor: Kernels | null = null;

function poolOf(k: Kernels): BlockPool {
  if (poolFor !== k) {
    pool = new BlockPool(k);
    poolFor = k;
  }
  return pool!;
}

/**
 * The collector as the pool uses it. `registry` returns a view's block once the view has died. With `cleanupSome`
 * (V8's, taken from a context made with it turned on) the pool runs the registry's callbacks right after `collect()`:
 * blocks of tensors dropped inside a synchronous loop come back inside that loop. Without it the callbacks wait for a
 * later task, and the pool finds dead big views through WeakRefs, which keep every view made in this task.
 */
interface Collector {
  readonly registry: FinalizationRegistry<{ offset: number; id: number }>;
  /** A full collection; null when V8 refuses to expose it. */
  readonly collect: (() => void) | null;
  /** Runs the registry's pending callbacks now; null when V8 does not offer it. */
  readonly cleanupSome: (() => void) | null;
}

let collectorState: Collector | undefined;

function collector(): Collector {
  if (collectorState !== undefined) return collectorState;
  // A view dies with its last reference; its block then goes back to the pool (unless it went back already).
  const giveBack = (block: { offset: number; id: number }): void => pool?.give(block.offset, block.id);
  // The registry belongs to this context: one made in the other context aborted the process at exit ("illegal
  // access") when a collection had left callbacks pending as Node tore the process down. Only the two functions come
  // from the other context; its cleanupSome works on any context's registry.
  const registry = new FinalizationRegistry(giveBack);
  try {
    // Flags read when a context is made: the new context gets gc() and FinalizationRegistry.prototype.cleanupSome.
    setFlagsFromString("--expose-gc");
    setFlagsFromString("--harmony-weak-refs-with-cleanup-some");
    const made = runInNewContext("({ gc, cleanupSome: FinalizationRegistry.prototype.cleanupSome })") as {
      gc: () => void; cleanupSome: ((this: FinalizationRegistry<unknown>) => void) | undefined;
    };
    const cleanupSome = made.cleanupSome;
    collectorState = { registry, collect: made.gc, cleanupSome: cleanupSome ? () => cleanupSome.call(registry) : null };
  } catch {
    collectorState = { registry, collect: null, cleanupSome: null };
  }
  return collectorState;
}

/**
 * Runs a full collection and, when the collector can, the callbacks of the views it found dead; false when V8 does not
 * expose the collector. Views of dead tensors are small objects, so nothing else tells V8 that the wasm memory behind
 * them is worth collecting.
 */
export function collectGarbage(): boolean {
  const c = collector();
  if (c.collect === null) return false;
  c.collect();
  c.cleanupSome?.();
  return true;
}

/**
 * Storage for a tensor of `n` elements: a view of a wasm block when the kernels are loaded and the array is long
 * enough, else a plain typed array. `zeroed` false leaves old values in reused memory (for callers that write every
 * element). Throws OutOfMemoryError (before allocating) when the tensor cannot fit in memory.
 */
export function allocateStorage(dtype: DType, n: number, zeroed = true): FloatArray {
  const bytesPer = dtype === "float32" ? 4 : 8;
  const bytes = n * bytesPer;
  checkAllocation(n, bytesPer, dtype);
  if (bytes >= DEFAULT_MMAP_THRESHOLD_BYTES) tuneMalloc();
  const scoped = scopeOpen();
  // Outside scopes only big blocks are worth it: a smaller result in a synchronous loop would take fresh pages on
  // every call (nothing returns it before the loop ends), where a plain array reuses what the collector freed.
  const k = bytes >= (scoped ? POOLED_FROM_BYTES : COLLECT_FOR_BYTES) ? kernels() : null;
  const block = k === null ? null : poolOf(k).take(bytes, !scoped);
  if (block === null) return dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
  const view = blockView(block, dtype, n, zeroed);
  if (scoped) noteAllocation(view);
  else returnWhenCollected(view, block);
  return view;
}

/** A view of `n` elements over `block`; with `zeroed`, the part of it that held values before is cleared. */
function blockView(block: { offset: number; usedBytes: number }, dtype: DType, n: number, zeroed: boolean): FloatArray {
  const buffer = pool!.buffer();
  const bytesPer = dtype === "float32" ? 4 : 8;
  const view = dtype === "float32" ? new Float32Array(buffer, block.offset, n) : new Float64Array(buffer, block.offset, n);
  if (zeroed && block.usedBytes > 0) view.fill(0, 0, Math.min(n, Math.ceil(block.usedBytes / bytesPer)));
  return view;
}

/** The block comes back when its view dies, or at a collection that finds the view cleared. */
function returnWhenCollected(view: FloatArray, block: { offset: number; id: number }): void {
  const c = collector();
  c.registry.register(view, { offset: block.offset, id: block.id }, view);
  pool!.watch(block.offset, block.id, c.cleanupSome !== null ? null : view);
}

/**
 * Float64 zeros for state that outlives every scope (optimizer moments, overwritten in place by their owner): for big
 * state, a pool block when the kernels are loaded, which the collector returns with its last view (or a collection
 * before the pool grows: as big results outside scopes); else a plain array, which kernels copy in. Such state lives as
 * long as its optimizer, so it counts toward neither scoped nor unscoped results.
 */
export function allocateState(n: number): Float64Array {
  checkAllocation(n, 8, "float64");
  const k = n * 8 >= COLLECT_FOR_BYTES ? kernels() : null;
  const block = k === null ? null : poolOf(k).take(n * 8, false, true);
  if (block === null) return new Float64Array(n);
  const view = blockView(block, "float64", n, true) as Float64Array;
  returnWhenCollected(view, block);
  return view;
}

/** Byte offset of `x` in the kernels' memory, or -1 when it is a plain typed array. */
export function offsetInKernels(k: Kernels, x: FloatArray): number {
  return x.byteLength >= POOLED_FROM_BYTES && poolFor === k && pool!.owns(x.buffer) ? x.byteOffset : -1;
}

/** True when `x` is a view of a pool block (a tensor's storage that a scope may return). */
export function isPooled(x: FloatArray): boolean {
  return poolFor !== null && offsetInKernels(poolFor, x) >= 0;
}

/** Returns the block behind `view` to the pool now; the view must never be read again. */
export function releaseStorage(view: FloatArray): void {
  if (!isPooled(view)) return;
  collector().registry.unregister(view);
  pool!.give(view.byteOffset, pool!.idAt(view.byteOffset));
}

setStorageRelease(releaseStorage);

/**
 * A plain copy of a pool view, in memory that is not zero-filled first (as `slice` does): the copy overwrites every
 * byte, and the fill was a third pass over the data (0.13 ms of the 0.34 that moving 4 MiB out took).
 */
function copyOut(view: FloatArray): FloatArray {
  const bytes = Buffer.allocUnsafeSlow(view.byteLength);
  Buffer.from(view.buffer, view.byteOffset, view.byteLength).copy(bytes);
  return view instanceof Float32Array
    ? new Float32Array(bytes.buffer, bytes.byteOffset, view.length)
    : new Float64Array(bytes.buffer, bytes.byteOffset, view.length);
}

setStorageCopy(copyOut);

/** Bytes of tensor storage handed out now and the extent of the pool (0 before the kernels load). */
export function poolUsage(): PoolUsage {
  return pool?.usage() ?? { liveBytes: 0, extentBytes: 0, collections: 0 };
}

// Kernel scratch: blocks that live as long as the process.
const scratchBlocks = new Map<number, number>();
let arenaBlock = { offset: -1, bytes: 0 };

/** Byte offset of thread t's GEMM packing scratch (a block of its own, taken on first use). */
export function scratchOffset(k: Kernels, t: number): number {
  let offset = scratchBlocks.get(t);
  if (offset === undefined || poolFor !== k) {
    const block = poolOf(k).take(k.scratchBytes, false, true);
    if (block === null) throw new Error("wasm kernels: no memory for a thread's GEMM scratch");
    offset = block.offset;
    scratchBlocks.set(t, offset);
  }
  return offset;
}

/**
 * Byte offset of a region of `bytes` for copies of operands that are not in the kernels' memory; only valid until the
 * next call (callers are synchronous). Null when the memory cannot hold it: the caller falls back to plain JS.
 */
export function arena(k: Kernels, bytes: number): number | null {
  const p = poolOf(k);
  if (arenaBlock.offset >= 0 && arenaBlock.bytes >= bytes) return arenaBlock.offset;
  // The old arena goes back first: its range, merged with its neighbours, may hold the new one.
  if (arenaBlock.offset >= 0) p.give(arenaBlock.offset, p.idAt(arenaBlock.offset));
  const block = p.take(bytes, false, true);
  arenaBlock = block === null ? { offset: -1, bytes: 0 } : { offset: block.offset, bytes: sizeClass(bytes) };
  return block?.offset ?? null;
}
