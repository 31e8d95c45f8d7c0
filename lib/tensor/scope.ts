// Who holds tensor storage, and scopes over it. Every tensor whose values live in a pool block (lib/backend/storage.ts)
// is recorded as a holder of that block's view, weakly. That lets the pool move a block's values out to a plain array
// (repointing every live holder) when it needs the room, and lets a scope return the blocks of tensors its result does
// not reach when it ends, marking their holders released so that a later use is an error that says so.
import type { FloatArray } from "./dtype.js";

/** What the pool needs of a tensor: its storage, which it repoints or marks released. */
export interface StorageHolder {
  _data: FloatArray | null;
}

/** Arrays of at least this many bytes may be pool blocks (the pool's threshold); shorter ones are never recorded. */
export const TRACKED_FROM_BYTES = 8192;

/** The storage of a released tensor: empty, and checked for by everything that reads a tensor's values. */
export const RELEASED_STORAGE: FloatArray = new Float64Array(0);

interface Scope {
  readonly name: string;
  readonly allocated: FloatArray[];
}

/** What the pool does when a scope lets go of a block: return it now, or take it back as a result (see closeScope). */
export interface StorageHooks {
  release(view: FloatArray): void;
  handOut(view: FloatArray): void;
}

const stack: Scope[] = [];
let hooks: StorageHooks | null = null;
const holders = new WeakMap<FloatArray, WeakRef<StorageHolder>[]>();
/** Views kept past every scope by keep(). */
const kept = new WeakSet<FloatArray>();
/** Released tensor -> the scope that released it, for the error message. */
const releasedBy = new WeakMap<StorageHolder, string>();
let opCount = 0;

export function setStorageHooks(h: StorageHooks): void {
  hooks = h;
}

/** A pool view's values may be shared with no one outside the tensors recorded as its holders. */
export function isPoolView(data: FloatArray): boolean {
  return data.byteLength >= TRACKED_FROM_BYTES && data.buffer instanceof SharedArrayBuffer;
}

/** Records `holder` as a holder of its pool storage (called by the Tensor constructor). */
export function noteHolder(holder: StorageHolder): void {
  const view = holder._data!;
  let list = holders.get(view);
  if (list === undefined) holders.set(view, (list = []));
  list.push(new WeakRef(holder));
}

/** Storage of the running op's inputs, which the pool must not move out while the op reads it. */
let opInputs: readonly StorageHolder[] = [];

/**
 * Marks the start of an op on `inputs` (trace.ts): the pool never moves out a block that the running op reads or that
 * it allocated.
 */
export function startOp(inputs: readonly StorageHolder[]): void {
  opCount++;
  opInputs = inputs;
}

/** True when the running op reads `view`. */
export function readByRunningOp(view: FloatArray): boolean {
  for (let i = 0; i < opInputs.length; i++) if (opInputs[i]!._data === view) return true;
  return false;
}

export function opsStarted(): number {
  return opCount;
}

/** Records a block allocated now in the open scope; false when no scope is open (the block is a result at once). */
export function noteAllocation(view: FloatArray): boolean {
  if (stack.length === 0) return false;
  stack[stack.length - 1]!.allocated.push(view);
  return true;
}

export function keepStorage(view: FloatArray): void {
  kept.add(view);
}

export function openScope(name: string): object {
  const scope: Scope = { name, allocated: [] };
  stack.push(scope);
  return scope;
}

/**
 * Ends the innermost scope. With `canRelease`, its blocks that are neither in `reachable` nor kept go back to the
 * pool and their holders are marked released; the rest go to the enclosing scope, or out as results. Without it (a
 * transform is still recording) everything goes to the enclosing scope, or out as results.
 */
export function closeScope(token: object, reachable: ReadonlySet<FloatArray>, canRelease: boolean): void {
  const scope = stack.pop();
  if (scope !== token) throw new Error("closeScope: scopes closed out of order");
  const outer = stack[stack.length - 1];
  for (const view of scope.allocated) {
    if (canRelease && !reachable.has(view) && !kept.has(view)) {
      for (const ref of holders.get(view) ?? []) {
        const h = ref.deref();
        if (h !== undefined && h._data === view) {
          h._data = RELEASED_STORAGE;
          releasedBy.set(h, scope.name);
        }
      }
      hooks?.release(view);
    } else if (outer !== undefined) {
      outer.allocated.push(view);
    } else {
      hooks?.handOut(view);
    }
  }
}

/** Moves a pool view's values to a plain array that its live holders share from now on; the view is then unused. */
export function moveOut(view: FloatArray): void {
  let copy: FloatArray | null = null;
  for (const ref of holders.get(view) ?? []) {
    const h = ref.deref();
    if (h !== undefined && h._data === view) h._data = copy ??= view.slice();
  }
  holders.delete(view);
}

/** The error for a use of a released tensor. */
export function releasedError(holder: StorageHolder, use: string): Error {
  const scope = releasedBy.get(holder) ?? "a scope";
  return new ReferenceError(
    `${use}: this tensor was computed inside ${scope} and not returned from it, so its memory has been reused. ` +
      `Return it from the function (grad and valueAndGrad take {hasAux: true} for extra outputs), or call keep(tensor) ` +
      "inside to keep it.");
}
