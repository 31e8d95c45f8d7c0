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
  /** Blocks taken in the scope and tensors holding them; null until the first one (scalar code never has any). */
  allocated: FloatArray[] | null;
  holders: StorageHolder[] | null;
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
  const scope = stack[stack.length - 1]!;
  if (scope.allocated === null) scope.allocated = [view];
  else scope.allocated.push(view);
}

/** Records a tensor holding pool storage (the Tensor constructor calls this while a scope is open). */
export function noteHolder(holder: StorageHolder): void {
  const scope = stack[stack.length - 1]!;
  if (scope.holders === null) scope.holders = [holder];
  else scope.holders.push(holder);
}

export function keepStorage(view: FloatArray): void {
  keptByUser.add(view);
}

export function openScope(name: string): object {
  const scope: Scope = { name, allocated: null, holders: null };
  stack.push(scope);
  return scope;
}

/**
 * Ends the innermost scope. An inner scope hands everything to the enclosing one. The outermost returns to the pool
 * the blocks that `reachable(result)` (the storage the scope's result reaches) does not contain and no keep() asked
 * for, when `canRelease` (no transform is recording that might still need them), and moves every other block's values
 * out to a plain array shared by its holders. `reachable` is a plain function and `result` its argument, rather than
 * one closure, because a scope closes on every gradient and the closure would be an allocation each time.
 */
export function closeScope<R>(token: object, reachable: (result: R) => ReadonlySet<FloatArray>, result: R,
  canRelease: boolean): void {
  const scope = stack.pop();
  if (scope !== token) throw new Error("closeScope: scopes closed out of order");
  const allocated = scope.allocated, holders = scope.holders ?? [];
  if (stack.length > 0) {
    if (allocated !== null) for (const v of allocated) noteAllocation(v);
    for (const h of holders) noteHolder(h);
    return;
  }
  // Scalar code allocates no blocks: nothing to decide, so the result is not even walked.
  if (allocated === null) return;
  const kept = canRelease ? reachable(result) : null;
  const fate = new Map<FloatArray, FloatArray>();
  for (const view of allocated) {
    fate.set(view, kept !== null && !kept.has(view) && !keptByUser.has(view) ? RELEASED_STORAGE : copyOut(view));
  }
  for (const h of holders) {
    const next = h._data === null ? undefined : fate.get(h._data);
    if (next === undefined) continue;
    h._data = next;
    if (next === RELEASED_STORAGE) releasedBy.set(h, scope.name);
  }
  for (const view of allocated) release?.(view);
}

/** The error for a use of a released tensor. */
export function releasedError(holder: StorageHolder, use: string): Error {
  const scope = releasedBy.get(holder) ?? "a scope";
  return new ReferenceError(
    `${use}: this tensor was computed inside ${scope} and not returned from it, so its memory has been reused. ` +
      `Return it from the function (grad and valueAndGrad take {hasAux: true} for extra outputs), or call keep(tensor) ` +
      "inside to keep it.");
}
