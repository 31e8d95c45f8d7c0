// The display API cells see as globals (display, clearOutput, input, password), the library's live-display hook
// (globalThis[Symbol.for("gradlab.display")]) and the value -> MIME bundle rule for results.
import { randomUUID } from "node:crypto";
import { inspect } from "node:util";
import type { MimeBundle } from "../interpreter.js";
import type { OutputQueue } from "./output_queue.js";

export const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");
export const GRADLAB_DISPLAY_HOOK = Symbol.for("gradlab.display");

/** What lib/display calls to show and update outputs while a cell runs (it never imports the kernel). */
export interface DisplayHook {
  display(bundle: MimeBundle, id?: string): void;
  update(bundle: MimeBundle, id: string): void;
  clear(wait: boolean): void;
}

export function formatPlain(value: unknown): string {
  return inspect(value, { depth: 4, maxArrayLength: 100, maxStringLength: 100_000, breakLength: 100 });
}

/** Objects opt in with [Symbol.for("Jupyter.display")]() returning a bundle; everything else is shown as text. */
export function toBundle(value: unknown): MimeBundle {
  if (value !== null && (typeof value === "object" || typeof value === "function")) {
    const method = (value as Record<symbol, unknown>)[JUPYTER_DISPLAY];
    if (typeof method === "function") {
      const bundle = method.call(value) as unknown;
      if (bundle && typeof bundle === "object") return cloneable(bundle as MimeBundle);
    }
  }
  return { "text/plain": formatPlain(value) };
}

/** Bundles cross a thread boundary: keep only structured-cloneable JSON-like data. */
function cloneable(bundle: MimeBundle): MimeBundle {
  try {
    structuredClone(bundle);
    return bundle;
  } catch {
    return JSON.parse(JSON.stringify(bundle)) as MimeBundle;
  }
}

export interface DisplayOptions { id?: string; raw?: boolean; metadata?: Record<string, unknown> }

export interface DisplayHandle { readonly id: string; update(value: unknown): void }

/** Handles returned by display(): a cell ending in `display(x)` shows x once, not also the handle as its result
 *  (as IPython's display() returns None). */
export const DISPLAY_HANDLES = new WeakSet<object>();

export function createDisplayApi(queue: OutputQueue, requestInput: (prompt: string, password: boolean) => Promise<string>) {
  const show = (bundle: MimeBundle, options: DisplayOptions = {}): DisplayHandle => {
    const id = options.id ?? randomUUID();
    const metadata = options.metadata ?? {};
    queue.push({ kind: "display", data: bundle, metadata, displayId: id, update: false });
    const handle = {
      id,
      update: (value: unknown) =>
        queue.push({ kind: "display", data: options.raw ? (value as MimeBundle) : toBundle(value), metadata, displayId: id, update: true }),
    };
    DISPLAY_HANDLES.add(handle);
    return handle;
  };
  const base64 = (data: Uint8Array | string): string => (typeof data === "string" ? data : Buffer.from(data).toString("base64"));
  const mime = (type: string) => (content: unknown, options?: DisplayOptions) => show({ [type]: content }, options);
  const display = Object.assign(
    (value: unknown, options: DisplayOptions = {}) => show(options.raw ? (value as MimeBundle) : toBundle(value), options),
    {
      html: mime("text/html"),
      svg: mime("image/svg+xml"),
      markdown: mime("text/markdown"),
      latex: mime("text/latex"),
      json: mime("application/json"),
      text: mime("text/plain"),
      javascript: mime("application/javascript"),
      png: (data: Uint8Array | string, options?: DisplayOptions) => show({ "image/png": base64(data) }, options),
      jpeg: (data: Uint8Array | string, options?: DisplayOptions) => show({ "image/jpeg": base64(data) }, options),
    },
  );
  const hook: DisplayHook = {
    display: (bundle, id) => void show(bundle, { id }),
    update: (bundle, id) => queue.push({ kind: "display", data: bundle, metadata: {}, displayId: id, update: true }),
    clear: (wait) => queue.push({ kind: "clear", wait }),
  };
  return {
    display,
    hook,
    clearOutput: (options: { wait?: boolean } = {}) => queue.push({ kind: "clear", wait: options.wait ?? false }),
    input: (prompt = "") => requestInput(String(prompt), false),
    password: (prompt = "") => requestInput(String(prompt), true),
  };
}
