// execute_request: execution_count bookkeeping, execute_input, the interpreter run with an ExecuteContext that
// turns engine output into iopub messages, execute_result or error, history, the reply, stop-on-error.
import type { ExecuteContext, ExecuteOutcome, ExecuteRequest } from "../interpreter.js";
import type { RequestContext } from "./context.js";

export async function executeRequest(ctx: RequestContext): Promise<void> {
  const { kernel } = ctx;
  const request = parseExecuteRequest(ctx.content, kernel.executionCount);
  if (request.storeHistory) kernel.executionCount += 1;
  request.executionCount = kernel.executionCount;
  const count = request.executionCount;
  if (!request.silent) ctx.publish("execute_input", { code: request.code, execution_count: count });

  const outcome = await runSafely(ctx, request);
  let resultText: string | null = null;
  if (outcome.status === "ok") {
    if (outcome.result && !request.silent) {
      ctx.publish("execute_result", { execution_count: count, data: outcome.result.data, metadata: outcome.result.metadata });
      const plain = outcome.result.data["text/plain"];
      resultText = typeof plain === "string" ? plain : null;
    }
    if (request.storeHistory) kernel.history.record(count, request.code, resultText);
    await ctx.reply({
      status: "ok",
      execution_count: count,
      user_expressions: outcome.userExpressions ?? {},
      payload: outcome.payload ?? [],
    });
    return;
  }
  const error = { ename: outcome.ename, evalue: outcome.evalue, traceback: outcome.traceback };
  ctx.publish("error", error);
  if (request.storeHistory) kernel.history.record(count, request.code, null);
  await ctx.reply({ status: "error", execution_count: count, ...error }, { status: "error" });
  if (ctx.content.stop_on_error !== false) kernel.abortQueued();
}

/** The reply for an execute_request skipped because an earlier cell failed (stop_on_error). */
export async function abortExecuteRequest(ctx: RequestContext): Promise<void> {
  await ctx.reply({ status: "aborted", execution_count: ctx.kernel.executionCount }, { status: "aborted" });
}

function parseExecuteRequest(content: Record<string, unknown>, executionCount: number): ExecuteRequest {
  const silent = content.silent === true;
  const expressions = content.user_expressions;
  return {
    code: typeof content.code === "string" ? content.code : "",
    silent,
    storeHistory: silent ? false : content.store_history !== false,
    userExpressions: isStringRecord(expressions) ? expressions : {},
    allowStdin: content.allow_stdin !== false,
    executionCount,
  };
}

async function runSafely(ctx: RequestContext, request: ExecuteRequest): Promise<ExecuteOutcome> {
  try {
    return await ctx.kernel.interpreter.execute(request, executeContext(ctx));
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    return { status: "error", ename: err.name, evalue: err.message, traceback: [err.stack ?? `${err.name}: ${err.message}`] };
  }
}

function executeContext(ctx: RequestContext): ExecuteContext {
  return {
    stream: (name, text) => ctx.publish("stream", { name, text }),
    display: (data, metadata, transient = {}, update = false) => {
      if (update && !transient.display_id) throw new Error("update_display_data needs transient.display_id");
      ctx.publish(update ? "update_display_data" : "display_data", { data, metadata, transient });
    },
    clearOutput: (wait) => ctx.publish("clear_output", { wait }),
    input: (prompt, password) => ctx.kernel.stdin.request(ctx.message, prompt, password),
    commSend: (kind, content, metadata) => ctx.publish(kind, content, metadata),
  };
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === "object" && value !== null && Object.values(value).every((v) => typeof v === "string");
}
