// Generates notebooks/*.ipynb (no outputs) from the readable sources notebooks/src/*.md: each ```ts fence is a code
// cell (```ts parameters tags it "parameters"), the Markdown between fences becomes markdown cells.
// Usage: node notebooks/src/build.mjs [--check]   (--check: exit 1 if a committed .ipynb differs from its source)
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const SRC = dirname(fileURLToPath(import.meta.url));
const OUT = dirname(SRC);

const METADATA = {
  kernelspec: { name: "gradlab", display_name: "TypeScript (gradlab)", language: "typescript" },
  language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript", codemirror_mode: "typescript" },
};

/** Splits a source file into [{type: "markdown" | "code", source, tags}] cells. */
export function parseSource(text) {
  const cells = [];
  let markdown = [];
  let code = null;
  const flushMarkdown = () => {
    const md = markdown.join("\n").trim();
    if (md) for (const part of md.split(/\n<!-- cell -->\n/)) if (part.trim()) cells.push({ type: "markdown", source: part.trim(), tags: [] });
    markdown = [];
  };
  for (const line of text.split("\n")) {
    if (code === null) {
      const fence = /^```ts\b(.*)$/.exec(line);
      if (fence) {
        flushMarkdown();
        code = { type: "code", lines: [], tags: fence[1].trim().split(/\s+/).filter(Boolean) };
      } else markdown.push(line);
    } else if (/^```\s*$/.test(line)) {
      cells.push({ type: "code", source: code.lines.join("\n").replace(/\s+$/, ""), tags: code.tags });
      code = null;
    } else code.lines.push(line);
  }
  if (code !== null) throw new Error("unclosed ```ts fence");
  flushMarkdown();
  return cells;
}

function splitLines(source) {
  const lines = source.split("\n");
  return lines.map((l, i) => (i < lines.length - 1 ? l + "\n" : l)).filter((l) => l !== "");
}

export function toNotebook(name, text) {
  const cells = parseSource(text).map((cell, i) => {
    const id = createHash("sha256").update(`${name}:${i}`).digest("hex").slice(0, 12);
    const metadata = cell.tags.length ? { tags: cell.tags } : {};
    const base = { id, cell_type: cell.type, metadata, source: splitLines(cell.source) };
    return cell.type === "code" ? { ...base, execution_count: null, outputs: [] } : base;
  });
  return JSON.stringify({ cells, metadata: METADATA, nbformat: 4, nbformat_minor: 5 }, null, 1) + "\n";
}

export function sources() {
  return readdirSync(SRC).filter((f) => f.endsWith(".md")).sort().map((f) => ({
    source: join(SRC, f),
    target: join(OUT, basename(f, ".md") + ".ipynb"),
  }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes("--check");
  let stale = 0;
  for (const { source, target } of sources()) {
    const json = toNotebook(basename(target, ".ipynb"), readFileSync(source, "utf8"));
    if (check) {
      if (!existsSync(target) || readFileSync(target, "utf8") !== json) {
        console.error(`${target} is out of date with ${source}; run node notebooks/src/build.mjs`);
        stale++;
      }
    } else writeFileSync(target, json);
  }
  process.exitCode = stale > 0 ? 1 : 0;
}
