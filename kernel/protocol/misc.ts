// history_request and the comm messages (comm_info_request, comm_open, comm_msg, comm_close).
import type { CommMsgType, CommPublish } from "../interpreter.js";
import type { RequestContext } from "./context.js";

export async function historyRequest(ctx: RequestContext): Promise<void> {
  await ctx.reply({ status: "ok", history: ctx.kernel.history.query(ctx.content) });
}

export async function commInfoRequest(ctx: RequestContext): Promise<void> {
  const target = typeof ctx.content.target_name === "string" ? ctx.content.target_name : undefined;
  await ctx.reply({ status: "ok", comms: ctx.kernel.interpreter.commInfo(target) });
}

/**
 * comm messages have no reply. An open nobody can take is closed again, as the spec asks; a message for a comm the
 * kernel does not know (closed already, or from before a restart) is dropped with a log line.
 */
export function commHandler(kind: CommMsgType) {
  return async (ctx: RequestContext): Promise<void> => {
    const publish: CommPublish = (msgType, content, metadata) => ctx.publish(msgType, content, metadata);
    if (ctx.kernel.interpreter.handleComm(kind, ctx.content, ctx.message.metadata ?? {}, publish)) return;
    const id = typeof ctx.content.comm_id === "string" ? ctx.content.comm_id : "";
    if (kind === "comm_open" && id) publish("comm_close", { comm_id: id, data: {} });
    else ctx.kernel.log(`ignoring ${kind} for unknown comm id ${JSON.stringify(id).slice(0, 80)}`);
  };
}
