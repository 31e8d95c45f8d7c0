// Client side of the connection file: pick free ports on 127.0.0.1, a random key, write the file.
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import type { ConnectionInfo } from "../../kernel/connection.js";
import { SIGNATURE_SCHEME } from "../../kernel/wire/signing.js";

/** tcp on `ip` with free ports; or ipc, where `ip` is a path prefix and the "ports" are the suffixes 1..5. */
export async function createConnectionInfo(
  ip = "127.0.0.1",
  key = randomBytes(32).toString("hex"),
  transport: ConnectionInfo["transport"] = "tcp",
): Promise<ConnectionInfo> {
  const [shell, control, stdin, iopub, hb] = transport === "ipc" ? [1, 2, 3, 4, 5] : await freePorts(ip, 5);
  return {
    transport,
    ip,
    shell_port: shell!,
    control_port: control!,
    stdin_port: stdin!,
    iopub_port: iopub!,
    hb_port: hb!,
    key,
    signature_scheme: SIGNATURE_SCHEME,
  };
}

export async function writeConnectionFile(path: string, info: ConnectionInfo): Promise<void> {
  await writeFile(path, JSON.stringify(info, null, 2), { mode: 0o600 });
}

/** Holds every probe socket open until all ports are known, so the same port is never handed out twice. */
async function freePorts(host: string, count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () =>
      new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
        const server = createServer();
        server.once("error", reject);
        server.listen(0, host, () => resolve(server));
      }),
    ),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
