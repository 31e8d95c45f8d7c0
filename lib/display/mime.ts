// MIME bundle types, the Jupyter display protocol symbol, and the kernel's live-display hook (absent outside the kernel).

/** A Jupyter MIME bundle: MIME type -> data (strings, or JSON for `application/*+json`). */
export type MimeBundle = Record<string, unknown> & { "text/plain": string };

/** Objects opt into rich display by implementing `[DISPLAY](): MimeBundle` (the protocol Deno's kernel uses too). */
export const DISPLAY: unique symbol = Symbol.for("Jupyter.display");

export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** Anything that can display itself. */
export interface Displayable {
  [DISPLAY](): MimeBundle;
}

/**
 * The hook the gradlab kernel installs at `globalThis[Symbol.for("gradlab.display")]` so library code can show and
 * update outputs while a cell runs (display_data / update_display_data with a display_id). Outside the kernel it is
 * absent and live displays stay silent.
 */
export interface DisplayHook {
  display(bundle: MimeBundle, id?: string): void;
  update(bundle: MimeBundle, id: string): void;
  clear(wait: boolean): void;
  /** Runs `fn` with its displays, prints and clears going to `sink` instead of the cell (Output widgets). */
  capture?<T>(sink: OutputSink, fn: () => T): T;
}

/** Receives captured output (see DisplayHook.capture). */
export interface OutputSink {
  display(bundle: Record<string, unknown>, metadata: Record<string, unknown>): void;
  stream(name: "stdout" | "stderr", text: string): void;
  clear(wait: boolean): void;
}

const HOOK_KEY = Symbol.for("gradlab.display");

/** The kernel's display hook, or undefined outside the kernel. Read at call time, never cached. */
export function displayHook(): DisplayHook | undefined {
  const hook = (globalThis as Record<symbol, unknown>)[HOOK_KEY] as DisplayHook | undefined;
  return hook && typeof hook.display === "function" && typeof hook.update === "function" ? hook : undefined;
}

/** A stable 8-hex-digit FNV-1a hash, used for DOM ids derived from content (deterministic output). */
export function contentHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}
