// The module cells get for `import * as tslab from "tslab"`: tslab's display API over gradlab's display hook,
// so notebooks written for tslab run unchanged.
import { randomUUID } from "node:crypto";

type Bundle = Record<string, unknown>;
interface Hook { display(bundle: Bundle, id?: string): void; update(bundle: Bundle, id: string): void }

/** The version strings of gradlab's tslab compatibility layer and its runtime. */
export const versions = { tslab: "1.0.22-gradlab", typescript: "5.9", node: process.version };

export interface Display {
  javascript(s: string): void;
  html(s: string): void;
  markdown(s: string): void;
  latex(s: string): void;
  svg(s: string): void;
  png(b: Uint8Array): void;
  jpeg(b: Uint8Array): void;
  gif(b: Uint8Array): void;
  pdf(b: Uint8Array): void;
  text(s: string): void;
  raw(contentType: string, b: string | Uint8Array): void;
}

function hook(): Hook {
  const h = (globalThis as Record<symbol, unknown>)[Symbol.for("gradlab.display")] as Hook | undefined;
  if (!h) throw new Error("tslab display: not running inside the gradlab kernel");
  return h;
}

function createDisplay(id?: string): Display {
  let shown = false;
  const send = (contentType: string, data: string | Uint8Array): void => {
    const value = typeof data === "string" ? data : Buffer.from(data).toString("base64");
    const bundle = { [contentType]: value };
    if (id && shown) hook().update(bundle, id);
    else hook().display(bundle, id);
    shown = true;
  };
  return {
    javascript: (s) => send("application/javascript", s),
    html: (s) => send("text/html", s),
    markdown: (s) => send("text/markdown", s),
    latex: (s) => send("text/latex", s),
    svg: (s) => send("image/svg+xml", s),
    png: (b) => send("image/png", b),
    jpeg: (b) => send("image/jpeg", b),
    gif: (b) => send("image/gif", b),
    pdf: (b) => send("application/pdf", b),
    text: (s) => send("text/plain", s),
    raw: (contentType, b) => send(contentType, b),
  };
}

/** Returns a new `Display` instance which displays and overwrites a single display-entry. */
export function newDisplay(): Display {
  return createDisplay(randomUUID());
}

/** Utility functions to display rich contents in tslab. */
export const display: Display = createDisplay();
