// Runs what magics.ts read off a cell: help into the pager, %time/%timeit through the executor, the scope magics
// (%who, %whos, %reset) against both the compiler's and the executor's view of the names, and the display magics.
import type { ExecuteContext, ExecuteOutcome, InspectReply } from "../interpreter.js";
import type { ScopeName } from "./compiler.js";
import type { RunRequest } from "./executor_worker.js";
import { findMagic, magicsHelp, parseTimeitOptions, unknownMagicMessage, type ParsedCell } from "./magics.js";

export interface MagicHost {
  ctx: ExecuteContext;
  compiler<T>(method: string, ...args: unknown[]): Promise<T>;
  executor<T>(method: string, ...args: unknown[]): Promise<T>;
  /** Compile and run code as a cell of its own (the cell's text with the magic blanked out). */
  runCode(code: string, timing?: RunRequest["timing"]): Promise<ExecuteOutcome>;
}

const DISPLAY_MAGICS: Record<string, string> = { html: "text/html", markdown: "text/markdown", latex: "text/latex" };

export async function runHelp(host: MagicHost, target: string, detail: 0 | 1): Promise<ExecuteOutcome> {
  const reply = await host.compiler<InspectReply>("inspect", target, [...target].length, detail);
  if (!reply.found) {
    host.ctx.stream("stdout", `Object \`${target}\` not found.\n`);
    return { status: "ok" };
  }
  return { status: "ok", payload: [{ source: "page", data: reply.data, start: 0 }] };
}

export async function runMagic(host: MagicHost, parsed: Extract<ParsedCell, { kind: "magic" }>): Promise<ExecuteOutcome> {
  const { name, args, cell, code } = parsed;
  const magic = findMagic(name, cell);
  if (!magic) return usageError(unknownMagicMessage(name, cell));
  const display = DISPLAY_MAGICS[magic.name];
  if (display) {
    const body = code.trim();
    host.ctx.display({ [display]: body, "text/plain": body }, {});
    return { status: "ok" };
  }
  if (magic.name === "time" || magic.name === "timeit") {
    if (code.trim() === "") return usageError(`${cell ? "%%" : "%"}${magic.name} needs code to time: ${magic.usage}`);
    const timing = magic.name === "time" ? { mode: "time" as const } : { mode: "timeit" as const, ...parseTimeitOptions(args) };
    return host.runCode(code, timing);
  }
  const failure = await runLineMagic(host, magic.name, args);
  if (failure) return failure;
  // A line magic may head a cell of code: `%env DEBUG=1` and then code that reads it.
  return code.trim() === "" ? { status: "ok" } : host.runCode(code);
}

async function runLineMagic(host: MagicHost, name: string, args: string): Promise<ExecuteOutcome | undefined> {
  const out = (text: string) => host.ctx.stream("stdout", text.endsWith("\n") ? text : `${text}\n`);
  switch (name) {
    case "help":
      out(magicsHelp());
      return undefined;
    case "who": {
      const names = (await host.compiler<ScopeName[]>("scopeNames")).filter((n) => n.value);
      out(names.length === 0 ? "No names defined by cells." : names.map((n) => n.name).join("\t"));
      return undefined;
    }
    case "whos": {
      const names = await host.compiler<ScopeName[]>("scopeNames");
      if (names.length === 0) {
        out("No names defined by cells.");
        return undefined;
      }
      const values = await host.executor<Record<string, string>>("describe", names.filter((n) => n.value).map((n) => n.name));
      out(table(["Name", "Kind", "Type", "Value"], names.map((n) => [n.name, n.kind, clip(n.type, 50), clip(values[n.name] ?? "", 60)])));
      return undefined;
    }
    case "reset": {
      const names = await host.compiler<string[]>("reset");
      await host.executor("forget", names);
      out(`Forgot ${names.length} name${names.length === 1 ? "" : "s"}; imports and declarations start afresh.`);
      return undefined;
    }
    case "env": {
      const reply = await host.executor<{ text: string } | { error: string }>("env", args);
      if ("error" in reply) return usageError(reply.error);
      out(reply.text);
      return undefined;
    }
    case "tsconfig": {
      const reply = await host.compiler<{ text: string; errors: string[] }>("compilerOptions", args);
      if (reply.errors.length > 0) return usageError(`%tsconfig: ${reply.errors.join("; ")}`);
      out(reply.text);
      return undefined;
    }
    default:
      return usageError(unknownMagicMessage(name, false));
  }
}

function usageError(message: string): ExecuteOutcome {
  return { status: "error", ename: "UsageError", evalue: message, traceback: [`\x1b[31mUsageError\x1b[0m: ${message}`] };
}

function clip(text: string, width: number): string {
  const line = text.replace(/\s+/g, " ");
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("   ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("   "), ...rows.map(line)].join("\n");
}
