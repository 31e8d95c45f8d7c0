// Scopes of tensor storage. Pool blocks (lib/backend/storage.ts) allocated inside a scope never outlive it: when the
// outermost scope ends, the blocks its result does not reach go back to the pool and the tensors that held them are
// marked released (a later use is an error that says so), and the values its result does reach move out to plain
// arrays, so that no pool block waits on the collector, which never runs its callbacks inside a synchronous loop.
import type { FloatArray } from "./dtype.js";

/** What a scope needs of a tensor: its storage, which it repoints or marks released. */
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
  readonly holders: StorageHolder[];
}

const stack: Scope[] = [];
let release: ((view: FloatArray) => void) | null = null;
/** Views kept past every scope by keep(). */
const keptByUser = new WeakSet<FloatArray>();
/** Released tensor -> the scope that released it, for the error message. */
const releasedBy = new WeakMap<StorageHolder, string>();

/** The pool's way to take a block back (set once, by lib/backend/storage.ts). */
export function setStorageRelease(fn: (view: FloatArray) => void): void {
  release = fn;
}

let copyOut = (view: FloatArray): FloatArray => view.slice();

/** How pool views are copied out (set once, by lib/backend/storage.ts: it can skip zero-filling the new memory). */
export function setStorageCopy(fn: (view: FloatArray) => FloatArray): void {
  copyOut = fn;
}

/** A plain typed array with the values of a pool view. */
export function copyOutOfPool(view: FloatArray): FloatArray {
  return copyOut(view);
}

/** A pool view: tracked-size storage over the kernels' shared memory (users' arrays are always copied into tensors). */
export function isPoolView(data: FloatArray): boolean {
  return data.byteLength >= TRACKED_FROM_BYTES && data.buffer instanceof SharedArrayBuffer;
}

/** True when a scope is open: pool blocks and their holders are recorded then. */
export function scopeOpen(): boolean {
  return stack.length > 0;
}

/** Records a block allocated in the open scope. */
export function noteAllocation(view: FloatArray): void {
  stack[stack.length - 1]!.allocated.push(view);
}

/** Records a tensor holding pool storage (the Tensor constructor calls this while a scope is open). */
export function noteHolder(holder: StorageHolder): void {
  stack[stack.length - 1]!.holders.push(holder);
}

export function keepStorage(view: FloatArray): void {
  keptByUser.add(view);
}

export function openScope(name: string): object {
  const scope: Scope = { name, allocated: [], holders: [] };
  stack.push(scope);
  return scope;
}

/**
 * Ends the innermost scope. An inner scope hands everything to the enclosing one. The outermost returns to the pool
 * the blocks that `reachable()` (the storage the scope's result reaches) does not contain and no keep() asked for,
 * when `canRelease` (no transform is recording that might still need them), and moves every other block's values out
 * to a plain array shared by its holders.
 */
export function closeScope(token: object, reachable: () => ReadonlySet<FloatArray>, canRelease: boolean): void {
  const scope = stack.pop();
  if (scope !== token) throw new Error("closeScope: scopes closed out of order");
  const outer = stack[stack.length - 1];
  if (outer !== undefined) {
    for (const v of scope.allocated) outer.allocated.push(v);
    for (const h of scope.holders) outer.holders.push(h);
    return;
  }
  // Scalar code allocates no blocks: nothing to decide, so the result is not even walked.
  if (scope.allocated.length === 0) return;
  const kept = canRelease ? reachable() : null;
  const fate = new Map<FloatArray, FloatArray>();
  for (const view of scope.allocated) {
    fate.set(view, kept !== null && !kept.has(view) && !keptByUser.has(view) ? RELEASED_STORAGE : copyOut(view));
  }
  for (const h of scope.holders) {
    const next = h._data === null ? undefined : fate.get(h._data);
    if (next === undefined) continue;
    h._data = next;
    if (next === RELEASED_STORAGE) releasedBy.set(h, scope.name);
  }
  for (const view of scope.allocated) release?.(view);
}

/** The error for a use of a released tensor. */
export function releasedError(holder: StorageHolder, use: string): Error {
  const scope = releasedBy.get(holder) ?? "a scope";
  return new ReferenceError(
    `${use}: this tensor was computed inside ${scope} and not returned from it, so its memory has been reused. ` +
      `Return it from the function (grad and valueAndGrad take {hasAux: true} for extra outputs), or call keep(tensor) ` +
      "inside to keep it.");
}
