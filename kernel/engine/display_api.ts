// The display API cells see as globals (display, clearOutput, input, password), the library's live-display hook
// (globalThis[Symbol.for("gradlab.display")]) and the value -> MIME bundle rule for results.
import { randomUUID } from "node:crypto";
import { inspect } from "node:util";
import type { MimeBundle } from "../interpreter.js";
import type { OutputQueue } from "./output_queue.js";

export const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");
export const GRADLAB_DISPLAY_HOOK = Symbol.for("gradlab.display");

/** Where captured output goes instead of the cell (an Output widget): what `capture` routes there. */
export interface OutputSink {
  display(bundle: MimeBundle, metadata: Record<string, unknown>): void;
  stream(name: "stdout" | "stderr", text: string): void;
  clear(wait: boolean): void;
}

/** What lib/display calls to show and update outputs while a cell runs (it never imports the kernel). */
export interface DisplayHook {
  display(bundle: MimeBundle, id?: string): void;
  update(bundle: MimeBundle, id: string): void;
  clear(wait: boolean): void;
  /** Runs `fn` with displays, prints and clears going to `sink` (until its promise settles, for an async `fn`). */
  capture<T>(sink: OutputSink, fn: () => T): T;
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
  // The innermost active capture receives output; none active means the cell's own output.
  const sinks: OutputSink[] = [];
  const sink = (): OutputSink | undefined => sinks[sinks.length - 1];
  const stream = (name: "stdout" | "stderr", text: string): void => {
    const target = sink();
    if (target) target.stream(name, text);
    else queue.stream(name, text);
  };
  const clear = (wait: boolean): void => {
    const target = sink();
    if (target) target.clear(wait);
    else queue.push({ kind: "clear", wait });
  };
  const capture = <T>(target: OutputSink, fn: () => T): T => {
    sinks.push(target);
    const release = () => {
      const at = sinks.lastIndexOf(target);
      if (at >= 0) sinks.splice(at, 1);
    };
    let result: T;
    try {
      result = fn();
    } catch (error) {
      release();
      throw error;
    }
    if (result instanceof Promise) return result.finally(release) as T;
    release();
    return result;
  };
  const show = (bundle: MimeBundle, options: DisplayOptions = {}): DisplayHandle => {
    const id = options.id ?? randomUUID();
    const metadata = options.metadata ?? {};
    const target = sink();
    if (target) {
      target.display(bundle, metadata);
      const handle = { id, update: (value: unknown) => target.display(options.raw ? (value as MimeBundle) : toBundle(value), metadata) };
      DISPLAY_HANDLES.add(handle);
      return handle;
    }
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
    update: (bundle, id) => {
      const target = sink();
      if (target) target.display(bundle, {});
      else queue.push({ kind: "display", data: bundle, metadata: {}, displayId: id, update: true });
    },
    clear,
    capture,
  };
  return {
    display,
    hook,
    stream,
    clearOutput: (options: { wait?: boolean } = {}) => clear(options.wait ?? false),
    input: (prompt = "") => requestInput(String(prompt), false),
    password: (prompt = "") => requestInput(String(prompt), true),
  };
}
