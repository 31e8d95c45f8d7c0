// history_request and the comm messages (comm_info_request, comm_open, comm_msg, comm_close).
import type { RequestContext } from "./context.js";

export async function historyRequest(ctx: RequestContext): Promise<void> {
  await ctx.reply({ status: "ok", history: ctx.kernel.history.query(ctx.content) });
}

export async function commInfoRequest(ctx: RequestContext): Promise<void> {
  const target = typeof ctx.content.target_name === "string" ? ctx.content.target_name : undefined;
  await ctx.reply({ status: "ok", comms: ctx.kernel.interpreter.commInfo(target) });
}

/** comm messages have no reply; an open for a target nobody handles is closed again, as the spec asks. */
export function commHandler(kind: "comm_open" | "comm_msg" | "comm_close") {
  return async (ctx: RequestContext): Promise<void> => {
    const handled = ctx.kernel.interpreter.handleComm(kind, ctx.content);
    if (!handled && kind === "comm_open" && typeof ctx.content.comm_id === "string") {
      ctx.publish("comm_close", { comm_id: ctx.content.comm_id, data: {} });
    }
  };
}
