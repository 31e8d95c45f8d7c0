// Composition root of the kernel process: read the connection file, bind the ZeroMQ transport, build the
// interpreter and the protocol server, route SIGINT to interrupt, exit cleanly on shutdown or SIGTERM.
import { readConnectionFile } from "./connection.js";
import type { Interpreter } from "./interpreter.js";
import { KernelServer } from "./protocol/dispatcher.js";
import { ZmqTransport } from "./transport/zmq.js";

export interface KernelOptions {
  connectionFile: string;
  /** Tests pass a mock here; the default is the TypeScript engine. */
  createInterpreter?: () => Promise<Interpreter>;
}

export function log(line: string): void {
  process.stderr.write(`[gradlab] ${line}\n`);
}

export async function runKernel(options: KernelOptions): Promise<void> {
  const info = await readConnectionFile(options.connectionFile);
  // Sockets first: a port taken since the launcher chose it fails the start at once, before the interpreter's threads
  // exist to keep a failed kernel alive (requests that arrive meanwhile wait in the transport).
  const transport = await ZmqTransport.bind(info, log);
  const interpreter = await (options.createInterpreter ?? createTypeScriptEngine)().catch(async (error: unknown) => {
    await transport.close();
    throw error;
  });
  let exiting = false;
  const exit = async (restart: boolean, code: number) => {
    if (exiting) return;
    exiting = true;
    interpreter.interrupt();
    await interpreter.shutdown(restart).catch((error: Error) => log(`interpreter shutdown failed: ${error.message}`));
    await transport.close();
    process.exit(code);
  };
  const server = new KernelServer({
    transport,
    interpreter,
    key: info.key,
    log,
    onShutdown: (restart) => void exit(restart, 0),
  });
  // With interrupt_mode "signal" the frontend sends SIGINT; it must interrupt the cell, never kill the kernel.
  process.on("SIGINT", () => server.interrupt());
  process.on("SIGTERM", () => void exit(false, 0));
  watchParent(() => {
    log("parent process exited, shutting down");
    void exit(false, 0);
  });
}

/** Like ipykernel's parent poller: frontends such as `jupyter run` exit without sending shutdown_request, and an
 *  orphaned kernel would run forever. jupyter_client names the launcher in JPY_PARENT_PID; otherwise a change of
 *  our parent (re-parenting) means the launcher is gone. */
function watchParent(onExit: () => void): void {
  const named = Number(process.env.JPY_PARENT_PID);
  const parent = Number.isInteger(named) && named > 1 ? named : process.ppid;
  if (parent <= 1) return;
  const gone = named > 1 ? () => !isAlive(parent) : () => process.ppid !== parent;
  const timer = setInterval(() => {
    if (gone()) {
      clearInterval(timer);
      onExit();
    }
  }, 1000);
  timer.unref();
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function createTypeScriptEngine(): Promise<Interpreter> {
  // Loaded lazily so the protocol layer (and its tests with a mock) never pays for the TypeScript engine.
  const { createTypeScriptInterpreter } = await import("./engine/index.js");
  return createTypeScriptInterpreter({ cwd: process.cwd() });
}
