// Markdown with LaTeX, rendered offline for the HTML report: marked for Markdown, KaTeX for $...$, $$...$$, \(..\), \[..\].
import katex from "katex";
import { Marked, type TokenizerAndRendererExtension } from "marked";

interface MathToken {
  type: "math";
  raw: string;
  text: string;
  display: boolean;
}

export function renderTex(tex: string, display: boolean): string {
  // throwOnError false: a typo in one formula shows red in place instead of failing the whole report.
  return katex.renderToString(tex, { displayMode: display, throwOnError: false, output: "htmlAndMathml" });
}

const BLOCK_MATH = /^ {0,3}(\$\$|\\\[)([\s\S]+?)(\$\$|\\\])[ \t]*(?:\n|$)/;
const BLOCK_ENV = /^ {0,3}(\\begin\{([a-z*]+)\}[\s\S]+?\\end\{\2\})[ \t]*(?:\n|$)/;
const INLINE_DISPLAY = /^(\$\$|\\\[)([\s\S]+?)(\$\$|\\\])/;
const INLINE_PAREN = /^\\\(([\s\S]+?)\\\)/;
// Pandoc's rule: no space after the opening $ or before the closing $, and no digit right after it ($5 and $10 is text).
const INLINE_DOLLAR = /^\$(?!\s)((?:\\.|[^\\$\n]|\n(?!\s*\n))+?)(?<!\s)\$(?!\d)/;

function closes(open: string, close: string): boolean {
  return (open === "$$" && close === "$$") || (open === "\\[" && close === "\\]");
}

const blockMath: TokenizerAndRendererExtension = {
  name: "math",
  level: "block",
  start: (src) => src.match(/\$\$|\\\[|\\begin\{/)?.index,
  tokenizer(src): MathToken | undefined {
    const env = BLOCK_ENV.exec(src);
    if (env) return { type: "math", raw: env[0], text: env[1]!, display: true };
    const m = BLOCK_MATH.exec(src);
    if (m && closes(m[1]!, m[3]!)) return { type: "math", raw: m[0], text: m[2]!, display: true };
    return undefined;
  },
  renderer: (token) => `<div class="math-display">${renderTex(token.text as string, true)}</div>\n`,
};

const inlineMath: TokenizerAndRendererExtension = {
  name: "inlineMath",
  level: "inline",
  start: (src) => src.match(/\$|\\\(|\\\[/)?.index,
  tokenizer(src) {
    const display = INLINE_DISPLAY.exec(src);
    if (display && closes(display[1]!, display[3]!)) return { type: "inlineMath", raw: display[0], text: display[2]!, display: true };
    const paren = INLINE_PAREN.exec(src) ?? INLINE_DOLLAR.exec(src);
    if (paren) return { type: "inlineMath", raw: paren[0], text: paren[1]!, display: false };
    return undefined;
  },
  renderer: (token) => renderTex(token.text as string, token.display as boolean),
};

const marked = new Marked({ gfm: true, extensions: [blockMath, inlineMath] });

export function renderMarkdown(text: string): string {
  return marked.parse(text, { async: false });
}
