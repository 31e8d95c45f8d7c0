// complete_request, inspect_request, is_complete_request: thin adapters from wire fields to the interpreter.
import type { RequestContext } from "./context.js";

export async function completeRequest(ctx: RequestContext): Promise<void> {
  const code = stringField(ctx.content.code);
  const cursor = cursorField(ctx.content.cursor_pos, code);
  const reply = await ctx.kernel.interpreter.complete(code, cursor);
  await ctx.reply({
    status: "ok",
    matches: reply.matches,
    cursor_start: reply.cursorStart,
    cursor_end: reply.cursorEnd,
    metadata: reply.metadata,
  });
}

export async function inspectRequest(ctx: RequestContext): Promise<void> {
  const code = stringField(ctx.content.code);
  const cursor = cursorField(ctx.content.cursor_pos, code);
  const detail = typeof ctx.content.detail_level === "number" ? ctx.content.detail_level : 0;
  const reply = await ctx.kernel.interpreter.inspect(code, cursor, detail);
  await ctx.reply({ status: "ok", found: reply.found, data: reply.data, metadata: reply.metadata });
}

export async function isCompleteRequest(ctx: RequestContext): Promise<void> {
  const reply = await ctx.kernel.interpreter.isComplete(stringField(ctx.content.code));
  await ctx.reply({ ...reply });
}

function stringField(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** Missing cursor_pos means "end of the code", counted in code points as protocol 5.2+ says. */
function cursorField(value: unknown, code: string): number {
  const length = [...code].length;
  if (typeof value !== "number" || !Number.isInteger(value)) return length;
  return Math.min(Math.max(value, 0), length);
}
