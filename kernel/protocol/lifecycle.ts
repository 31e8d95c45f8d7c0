// kernel_info_request, shutdown_request (shell or control), interrupt_request (control).
import { PROTOCOL_VERSION } from "../wire/message.js";
import type { RequestContext } from "./context.js";

export async function kernelInfoRequest(ctx: RequestContext): Promise<void> {
  await ctx.reply({ status: "ok", protocol_version: PROTOCOL_VERSION, ...ctx.kernel.interpreter.kernelInfo() });
}

export async function shutdownRequest(ctx: RequestContext): Promise<void> {
  const restart = ctx.content.restart === true;
  await ctx.reply({ status: "ok", restart });
  ctx.kernel.requestShutdown(restart);
}

export async function interruptRequest(ctx: RequestContext): Promise<void> {
  ctx.kernel.interrupt();
  await ctx.reply({ status: "ok" });
}
