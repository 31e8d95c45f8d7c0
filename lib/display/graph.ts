// Computation graphs: a plain-data Graph (filled by the autodiff tracer), its Graphviz dot text (pure), and
// `graph(f, ...args)` / `graph(tensor)` / `graph(Graph)` rendering it to SVG with one node per op (name, shape,
// value, gradient) and the local derivative on each edge, so the chain rule can be read off the picture.
// The tracer and the Graph data types live in autodiff (it owns the recording); display only draws them.
import { historyGraph, traceGraph } from "../autodiff/graph.js";
import { cleanSvg, loadedGraphviz, loadGraphviz, type DotRenderer } from "./graphviz.js";
import { escapeHtml, svgDataUri } from "./html.js";
import { DISPLAY, type Displayable, type MimeBundle } from "./mime.js";
import { finiteExtent, formatNumber } from "./numbers.js";
import { formatShape } from "../tensor/shape.js";

import type { Graph, GraphNode, GraphValue } from "../autodiff/graph.js";
export type { Graph, GraphEdge, GraphNode, GraphValue } from "../autodiff/graph.js";

export interface DotOptions {
  /** Nodes drawn at most (the ones closest to the output); the rest collapse into one "…" node (default 40). */
  maxNodes?: number;
  /** "LR" (left to right) or "TB"; default: LR for shallow graphs, TB when the longest path has over 8 ops. */
  direction?: "LR" | "TB";
}

const size = (v: GraphValue): number => v.shape.reduce((a, b) => a * b, 1);
const shapeText = (s: readonly number[]): string => (s.length === 0 ? "scalar" : formatShape(s));

/** A short text for a value: the number for scalars, a few entries for tiny tensors, else mean and range. */
export function summarizeValue(v: GraphValue): string {
  const n = size(v);
  if (n === 1) return formatNumber(v.data[0] as number, 4);
  if (n <= 4) return `[${Array.from(v.data, (x) => formatNumber(x, 3)).join(", ")}]`;
  const all = Array.from(v.data);
  const ext = finiteExtent(all);
  const mean = all.reduce((a, b) => a + b, 0) / n;
  return ext ? `mean ${formatNumber(mean, 3)}, [${formatNumber(ext[0], 3)}, ${formatNumber(ext[1], 3)}]` : "non-finite";
}

function nodeLabel(node: GraphNode, isOutput: boolean): string {
  const title = node.op === "input" || node.op === "const" ? node.name ?? node.op : node.name ? `${node.op} (${node.name})` : node.op;
  const params = Object.entries(node.params ?? {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ");
  const rows = [
    `<tr><td><b>${escapeHtml(title)}</b></td></tr>`,
    // Own line, small: Graphviz under-estimates bold text widths, so params beside the title would overlap it.
    ...(params ? [`<tr><td><font point-size="9" color="#555555">${escapeHtml(params)}</font></td></tr>`] : []),
    `<tr><td><font point-size="10" color="#555555">${escapeHtml(shapeText(node.value.shape))}</font></td></tr>`,
    `<tr><td>${isOutput ? "value" : "="} ${escapeHtml(summarizeValue(node.value))}</td></tr>`,
  ];
  if (node.grad) rows.push(`<tr><td><font color="#b22222">grad ${escapeHtml(summarizeValue(node.grad))}</font></td></tr>`);
  return `<<table border="0" cellborder="0" cellspacing="0" cellpadding="1">${rows.join("")}</table>>`;
}

function nodeStyle(node: GraphNode, isOutput: boolean): string {
  if (isOutput) return `shape=box style="rounded,filled,bold" fillcolor="#d9f2d9"`;
  if (node.op === "input") return `shape=box style="rounded,filled" fillcolor="#dbe9f6"`;
  if (node.op === "const") return `shape=box style="rounded,filled" fillcolor="#eeeeee"`;
  return `shape=box style="rounded,filled" fillcolor="#fff8dc"`;
}

/** Escapes text for a double-quoted dot string. */
function dotString(text: string): string {
  return text.replace(/[\\"]/g, (c) => "\\" + c);
}

/** The nodes kept when capping: the `max` latest in topological order (closest to the output) plus the output. */
function keptNodes(g: Graph, max: number): Set<number> {
  if (g.nodes.length <= max) return new Set(g.nodes.map((n) => n.id));
  const kept = new Set(g.nodes.slice(g.nodes.length - max).map((n) => n.id));
  kept.add(g.output);
  return kept;
}

/** Longest path (in edges) among the kept nodes; nodes are in topological order. */
function depth(g: Graph, kept: Set<number>): number {
  const level = new Map<number, number>();
  for (const n of g.nodes) if (kept.has(n.id)) level.set(n.id, 0);
  for (const e of g.edges) {
    const from = level.get(e.from);
    const to = level.get(e.to);
    if (from !== undefined && to !== undefined && from + 1 > to) level.set(e.to, from + 1);
  }
  return Math.max(0, ...level.values());
}

/** Graphviz dot text for a graph. Pure and deterministic. */
export function toDot(g: Graph, opts: DotOptions = {}): string {
  const kept = keptNodes(g, opts.maxNodes ?? 40);
  const hidden = g.nodes.length - kept.size;
  const lines = [
    "digraph G {",
    `  rankdir=${opts.direction ?? (depth(g, kept) > 8 ? "TB" : "LR")}; bgcolor="white"; nodesep=0.25; ranksep=0.35;`,
    `  fontname="Helvetica"; fontsize=11;`,
    `  node [fontname="Helvetica" fontsize=11 margin="0.16,0.05"]; edge [fontname="Helvetica" fontsize=9 color="#666666"];`,
  ];
  if (hidden > 0) {
    lines.push(`  labelloc=t; label="showing the ${kept.size} nodes closest to the output of ${g.nodes.length}";`);
    lines.push(`  hidden [shape=note style=filled fillcolor="#f4f4f4" label="… ${hidden} earlier nodes"];`);
  }
  for (const n of g.nodes) {
    if (kept.has(n.id)) lines.push(`  n${n.id} [${nodeStyle(n, n.id === g.output)} label=${nodeLabel(n, n.id === g.output)}];`);
  }
  const hiddenEdges = new Set<number>();
  for (const e of g.edges) {
    if (!kept.has(e.to)) continue;
    if (!kept.has(e.from)) {
      if (!hiddenEdges.has(e.to)) lines.push(`  hidden -> n${e.to} [style=dashed];`);
      hiddenEdges.add(e.to);
      continue;
    }
    const label = e.local ? ` label="∂ ${dotString(summarizeValue(e.local))}"` : "";
    lines.push(`  n${e.from} -> n${e.to} [${label.trim()}];`.replace(" [];", ";"));
  }
  lines.push("}");
  return lines.join("\n");
}

function graphSummary(g: Graph): string {
  const out = g.nodes.find((n) => n.id === g.output);
  const ops = g.nodes.filter((n) => n.op !== "input" && n.op !== "const").length;
  const inputs = g.nodes.filter((n) => n.op === "input");
  const lines = [`Computation graph: ${g.nodes.length} nodes (${ops} ops), ${g.edges.length} edges`];
  if (out) lines.push(`  output ${out.op} ${shapeText(out.value.shape)} = ${summarizeValue(out.value)}`);
  for (const n of inputs) lines.push(`  input ${n.name ?? n.id} ${shapeText(n.value.shape)}${n.grad ? `, grad ${summarizeValue(n.grad)}` : ""}`);
  return lines.join("\n");
}

/** A rendered computation graph: displays as SVG (an <img> in the HTML form, which survives every frontend); `dot`
 * holds the Graphviz source. */
export class GraphFigure implements Displayable {
  constructor(
    readonly graph: Graph,
    readonly dot: string,
    readonly svg: string,
  ) {}

  bundle(): MimeBundle {
    return graphBundle(this.graph, this.svg);
  }

  [DISPLAY](): MimeBundle {
    return this.bundle();
  }

  toString(): string {
    return graphSummary(this.graph);
  }
}

/** The MIME bundle of a rendered graph. Pure. */
export function graphBundle(g: Graph, svg: string): MimeBundle {
  return {
    "image/svg+xml": svg,
    "text/html": `<div class="gradlab-graph"><img alt="computation graph" src="${svgDataUri(svg)}" style="max-width:100%"/></div>`,
    "text/plain": graphSummary(g),
  };
}

function isGraph(v: unknown): v is Graph {
  return typeof v === "object" && v !== null && Array.isArray((v as Graph).nodes) && Array.isArray((v as Graph).edges);
}

function traceTarget(target: unknown, args: unknown[]): Graph {
  if (isGraph(target)) return target;
  if (typeof target === "function") return traceGraph(target as (...a: unknown[]) => unknown, ...args);
  return historyGraph(target);
}

/**
 * Draws a computation graph: `await graph(f, x, y)` traces f at the given arguments and backpropagates from its
 * scalar output; `await graph(t)` shows a `requiresGrad` tensor's recorded history with d(t)/d(node) at every node;
 * a ready `Graph` object is drawn as is. Graphs over `maxNodes` (default 40) show the part closest to the output.
 */
export function graph(target: unknown, ...args: unknown[]): Promise<GraphFigure> & Displayable {
  let opts: DotOptions = {};
  const last = args[args.length - 1];
  if (isGraph(target) && typeof last === "object" && last !== null) opts = last as DotOptions;
  const g = traceTarget(target, args);
  const dot = toDot(g, opts);
  const figure = (render: DotRenderer): GraphFigure => new GraphFigure(g, dot, cleanSvg(render(dot)));
  // gradlab's kernel awaits a promise that ends a cell; a frontend that shows the promise itself (tslab, or
  // `display(graph(f, x))`) gets the graph when Graphviz is already loaded (rendering is synchronous), and otherwise
  // is told what to write.
  return Object.assign(loadGraphviz().then(figure), {
    [DISPLAY](): MimeBundle {
      const render = loadedGraphviz();
      return render ? figure(render).bundle() : { "text/plain": "Graphviz is still loading: write `await graph(...)`" };
    },
  });
}
