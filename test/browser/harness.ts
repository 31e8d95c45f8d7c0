// Shared plumbing for browser tests: free ports, Jupyter servers started and stopped by PID, headless Debian Chromium.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, openSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";

export const ROOT = join(import.meta.dirname, "..", "..");
export const TMP = join(ROOT, "test", ".tmp");
export const CHROMIUM = "/usr/bin/chromium";
export const PYTHON = "/usr/bin/python3";

export const hasJupyterLabServer = (): boolean => existsSync("/usr/lib/python3/dist-packages/jupyterlab_server");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix: string): string {
  mkdirSync(TMP, { recursive: true });
  return mkdtempSync(join(TMP, prefix));
}

export interface RunningServer {
  baseUrl: string;
  token: string;
  logFile: string;
  stop(): Promise<void>;
}

/** Starts a jupyter_server-based app on 127.0.0.1 and waits until `readyPath` answers. Logs go to a file. */
export async function startJupyterServer(opts: {
  args: string[];
  env: NodeJS.ProcessEnv;
  rootDir: string;
  readyPath: string;
  logFile: string;
}): Promise<RunningServer> {
  const port = await freePort();
  const token = `gradlab-${port}-${Date.now().toString(36)}`;
  const log = openSync(opts.logFile, "a");
  const child: ChildProcess = spawn(
    opts.args[0]!,
    [
      ...opts.args.slice(1),
      "--ip=127.0.0.1",
      `--port=${port}`,
      "--no-browser",
      `--ServerApp.token=${token}`,
      `--NotebookApp.token=${token}`,
      `--ServerApp.root_dir=${opts.rootDir}`,
      `--NotebookApp.notebook_dir=${opts.rootDir}`,
      ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
    ],
    { env: opts.env, stdio: ["ignore", log, log], detached: false },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  let exited: number | null = null;
  child.once("exit", (code) => (exited = code ?? -1));
  const stop = async (): Promise<void> => {
    if (exited !== null || child.pid === undefined) return;
    const done = new Promise<void>((r) => child.once("exit", () => r()));
    process.kill(child.pid, "SIGTERM");
    const timer = setTimeout(() => child.pid !== undefined && exited === null && process.kill(child.pid, "SIGKILL"), 5000);
    await done;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== null) throw new Error(`${opts.args.join(" ")} exited with ${exited} before serving; see ${opts.logFile}`);
    try {
      const res = await fetch(`${baseUrl}${opts.readyPath}?token=${token}`, { redirect: "manual" });
      if (res.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`server did not answer ${opts.readyPath} within 60 s; see ${opts.logFile}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { baseUrl, token, logFile: opts.logFile, stop };
}

/** Debian's Chromium, headless, no network chatter of its own. Playwright gives it a fresh --user-data-dir itself
 * (and refuses one in args). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Chromium for the pages of `server`; when Chromium cannot start, the server is stopped so that it does not outlive
 * the failed setup. */
export async function launchChromiumFor(server: RunningServer): Promise<Browser> {
  try {
    return await launchChromium();
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** Environment for Jupyter processes: Debian's Python first, Jupyter paths pointing at our prefix. */
export function jupyterEnv(jupyterPath: string, home: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `/usr/bin:${process.env.PATH ?? ""}`,
    JUPYTER_PATH: jupyterPath,
    JUPYTER_CONFIG_DIR: join(home, "config"),
    JUPYTER_RUNTIME_DIR: join(home, "runtime"),
    JUPYTER_DATA_DIR: join(home, "data"),
    IPYTHONDIR: join(home, "ipython"),
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
  };
}
