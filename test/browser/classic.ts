// Debian's classic Notebook 6 served for browser tests: gradlab installed into a temporary prefix (kernelspec and the
// gradlab-plotly nbextension), the server on 127.0.0.1, headless Chromium, pages with requests off 127.0.0.1 refused.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { hasChromium, hasJupyter } from "../helpers/require.js";
import { PYTHON, jupyterEnv, launchChromiumFor, startJupyterServer, tempDir, type RunningServer } from "./harness.js";
import { installGradlab } from "./notebook.js";

export const hasClassicTools = (): boolean =>
  hasChromium() && hasJupyter() && existsSync("/usr/lib/python3/dist-packages/notebook");

export interface Classic {
  server: RunningServer;
  browser: Browser;
  /** Requests to anything but 127.0.0.1, all refused. */
  offsite: string[];
  /** Console errors; Debian's notebook asks for the ipywidgets nbextension, which is not installed (a 404). */
  consoleErrors: string[];
  pageErrors: string[];
  lastPage: Page | undefined;
  open(name: string): Promise<Page>;
  stop(): Promise<void>;
}

/**
 * Installs gradlab, lets `writeNotebooks` fill the notebook folder and `prepare` act in the server's environment (to
 * sign a notebook, say), then serves the folder.
 */
export async function startClassic(writeNotebooks: (dir: string) => void, prepare?: (env: NodeJS.ProcessEnv) => void): Promise<Classic> {
  const home = tempDir("classic-");
  const prefix = join(home, "prefix");
  const dataDir = installGradlab(prefix);
  const notebookDir = join(home, "notebooks");
  writeNotebooks(notebookDir);
  // `gradlab install --prefix P` enables the nbextension in P/etc/jupyter, which Jupyter reads via JUPYTER_CONFIG_PATH.
  const env = { ...jupyterEnv(dataDir, home), JUPYTER_CONFIG_PATH: join(prefix, "etc", "jupyter") };
  prepare?.(env);
  const server = await startJupyterServer({
    args: [PYTHON, "-m", "notebook"],
    env,
    rootDir: notebookDir,
    readyPath: "/tree",
    logFile: join(home, "server.log"),
  });
  const browser = await launchChromiumFor(server);
  const classic: Classic = {
    server,
    browser,
    offsite: [],
    consoleErrors: [],
    pageErrors: [],
    lastPage: undefined,
    async open(name) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      await page.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => {
        classic.offsite.push(route.request().url());
        return route.abort();
      });
      page.on("pageerror", (e) => classic.pageErrors.push(String(e).slice(0, 300)));
      page.on("console", (m) => m.type() === "error" && classic.consoleErrors.push(m.text().slice(0, 300)));
      classic.lastPage = page;
      await page.goto(`${server.baseUrl}/notebooks/${name}?token=${server.token}`, { waitUntil: "domcontentloaded", timeout: 120_000 });
      return page;
    },
    async stop() {
      await browser.close();
      await server.stop();
    },
  };
  return classic;
}
