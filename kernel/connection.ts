// The Jupyter connection file: read and validate it (the kernel binds only to what it names), build endpoints.
import { readFile } from "node:fs/promises";
import { SIGNATURE_SCHEME } from "./wire/signing.js";

export type Channel = "shell" | "control" | "stdin" | "iopub" | "hb";
export const CHANNELS: readonly Channel[] = ["shell", "control", "stdin", "iopub", "hb"];

export interface ConnectionInfo {
  transport: "tcp" | "ipc";
  ip: string;
  shell_port: number;
  control_port: number;
  stdin_port: number;
  iopub_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
  kernel_name?: string;
}

export async function readConnectionFile(path: string): Promise<ConnectionInfo> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new Error(`connection file ${path}: ${(error as Error).message}`);
  }
  return validateConnection(parsed, path);
}

export function validateConnection(value: unknown, source = "connection info"): ConnectionInfo {
  if (typeof value !== "object" || value === null) throw new Error(`${source}: not a JSON object`);
  const info = value as Record<string, unknown>;
  const transport = info.transport ?? "tcp";
  if (transport !== "tcp" && transport !== "ipc") throw new Error(`${source}: unsupported transport ${JSON.stringify(transport)}`);
  if (typeof info.ip !== "string" || info.ip === "") throw new Error(`${source}: "ip" must be a non-empty string`);
  for (const channel of CHANNELS) {
    const port = info[`${channel}_port`];
    if (!Number.isInteger(port) || (port as number) < 0 || (port as number) > 65535) {
      throw new Error(`${source}: "${channel}_port" must be an integer port, got ${JSON.stringify(port)}`);
    }
  }
  const key = info.key ?? "";
  if (typeof key !== "string") throw new Error(`${source}: "key" must be a string`);
  const scheme = info.signature_scheme ?? SIGNATURE_SCHEME;
  if (key !== "" && scheme !== SIGNATURE_SCHEME) {
    throw new Error(`${source}: signature_scheme ${JSON.stringify(scheme)} is not supported (only ${SIGNATURE_SCHEME})`);
  }
  return { ...(info as unknown as ConnectionInfo), transport, key, signature_scheme: String(scheme) };
}

/** tcp://ip:port, or for ipc the file `ip-N` as jupyter_client names it. */
export function endpoint(info: ConnectionInfo, channel: Channel): string {
  const port = info[`${channel}_port`];
  return info.transport === "ipc" ? `ipc://${info.ip}-${port}` : `tcp://${formatHost(info.ip)}:${port}`;
}

function formatHost(ip: string): string {
  return ip.includes(":") && !ip.startsWith("[") ? `[${ip}]` : ip;
}
