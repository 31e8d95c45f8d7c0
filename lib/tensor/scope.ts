// Scopes of tensor storage: blocks allocated inside a scope that its result cannot reach go back to the pool when it
// ends, and the tensors that held them are marked released, so a later use is an error naming the scope instead of
// reading memory that another tensor now owns. The backend's pool (lib/backend/storage.ts) does the returning.
import type { FloatArray } from "./dtype.js";

/** What a scope needs of a tensor: its storage, which it replaces by RELEASED_STORAGE when it returns the block. */
export interface StorageHolder {
  _data: FloatArray | null;
}

/** Arrays of at least this many bytes may be pool blocks (the pool's threshold); shorter ones are never tracked. */
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
const kept = new WeakSet<FloatArray>();
/** Released tensor -> the scope that released it, for the error message. */
const releasedBy = new WeakMap<StorageHolder, string>();

/** The backend's way to return a block to its pool (set once, by lib/backend/storage.ts). */
export function setStorageRelease(fn: (view: FloatArray) => void): void {
  release = fn;
}

/** Records a pool block allocated now (called by the pool). */
export function noteAllocation(view: FloatArray): void {
  if (stack.length > 0) stack[stack.length - 1]!.allocated.push(view);
}

/** Records a tensor holding tracked-size storage (called by the Tensor constructor). */
export function noteHolder(holder: StorageHolder): void {
  if (stack.length > 0) stack[stack.length - 1]!.holders.push(holder);
}

/** True when a scope is open (the Tensor constructor only records holders then). */
export function scopeOpen(): boolean {
  return stack.length > 0;
}

export function keepStorage(view: FloatArray): void {
  kept.add(view);
}

export function openScope(name: string): object {
  const scope: Scope = { name, allocated: [], holders: [] };
  stack.push(scope);
  return scope;
}

/**
 * Ends the innermost scope. With `canRelease`, its blocks that are neither in `reachable` nor kept go back to the
 * pool and their holders are marked released; otherwise (a transform is still recording, or an outer scope will
 * decide) everything moves to the enclosing scope, or is left to the collector at the outermost one.
 */
export function closeScope(token: object, reachable: ReadonlySet<FloatArray>, canRelease: boolean): void {
  const scope = stack.pop();
  if (scope !== token) throw new Error("closeScope: scopes closed out of order");
  const outer = stack[stack.length - 1];
  if (!canRelease || release === null) {
    if (outer !== undefined) {
      for (const v of scope.allocated) outer.allocated.push(v);
      for (const h of scope.holders) outer.holders.push(h);
    }
    return;
  }
  const returned = new Set<FloatArray>();
  for (const view of scope.allocated) {
    if (reachable.has(view) || kept.has(view)) outer?.allocated.push(view);
    else returned.add(view);
  }
  for (const h of scope.holders) {
    if (h._data !== null && returned.has(h._data)) {
      h._data = RELEASED_STORAGE;
      releasedBy.set(h, scope.name);
    } else {
      outer?.holders.push(h);
    }
  }
  for (const view of returned) release(view);
}

/** The error for a use of a released tensor. */
export function releasedError(holder: StorageHolder, use: string): Error {
  const scope = releasedBy.get(holder) ?? "a scope";
  return new ReferenceError(
    `${use}: this tensor was computed inside ${scope} and not returned from it, so its memory has been reused. ` +
      `Return it from the function (grad and valueAndGrad take {hasAux: true} for extra outputs), or call keep(tensor) ` +
      "inside to keep it.");
}
