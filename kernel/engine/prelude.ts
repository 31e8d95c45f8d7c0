// Declarations of the globals every cell gets (display API, input), type-checked as a global .d.ts.
import { OPS_GLOBAL_DECLARATION } from "../operators/rewrite.js";

export const PRELUDE_DTS = `
type GradlabMimeBundle = Record<string, unknown>;
interface GradlabDisplayHandle {
  /** The display_id this output carries; updates replace the output in place. */
  readonly id: string;
  /** Replace this output with a new value (update_display_data). */
  update(value: unknown): void;
}
interface GradlabDisplayOptions {
  /** Name the output so a later display/update with the same id replaces it. */
  id?: string;
  /** Treat value as a ready MIME bundle ({"text/html": ...}). */
  raw?: boolean;
  metadata?: Record<string, unknown>;
}
interface GradlabDisplay {
  /** Show a value as an output of this cell: objects with [Symbol.for("Jupyter.display")]() give their own bundle. */
  (value: unknown, options?: GradlabDisplayOptions): GradlabDisplayHandle;
  html(html: string, options?: GradlabDisplayOptions): GradlabDisplayHandle;
  svg(svg: string, options?: GradlabDisplayOptions): GradlabDisplayHandle;
  markdown(markdown: string, options?: GradlabDisplayOptions): GradlabDisplayHandle;
  /** LaTeX source, e.g. "$$x^2$$". */
  latex(latex: string, options?: GradlabDisplayOptions): GradlabDisplayHandle;
  json(value: unknown, options?: GradlabDisplayOptions): GradlabDisplayHandle;
  /** PNG bytes or base64 text. */
  png(data: Uint8Array | string, options?: GradlabDisplayOptions): GradlabDisplayHandle;
  jpeg(data: Uint8Array | string, options?: GradlabDisplayOptions): GradlabDisplayHandle;
  text(text: string, options?: GradlabDisplayOptions): GradlabDisplayHandle;
  javascript(code: string, options?: GradlabDisplayOptions): GradlabDisplayHandle;
}
/** Display rich output in the notebook; see display.html, display.markdown, ... */
declare const display: GradlabDisplay;
/** Clear this cell's output; with wait: true, only when the next output arrives (no flicker in loops). */
declare function clearOutput(options?: { wait?: boolean }): void;
/** Ask the user for a line of text (input_request on the stdin channel). */
declare function input(prompt?: string): Promise<string>;
/** Like input(), with the typed text hidden. */
declare function password(prompt?: string): Promise<string>;
${OPS_GLOBAL_DECLARATION}`;
