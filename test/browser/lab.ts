// The builder-built JupyterLab 4.5 (test/browser/lab-app) served for browser tests: gradlab installed into a temporary
// prefix (kernelspec and gradlab-plotly extension), jupyterlab_server on 127.0.0.1, headless Chromium, and pages opened
// on a notebook offline, with their errors collected for the tests' final assertions.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { expect } from "vitest";
import { hasChromium, hasJupyter } from "../helpers/require.js";
import { buildLabApp } from "./lab-app/build.mjs";
import {
  PYTHON, ROOT, TMP, hasJupyterLabServer, jupyterEnv, launchChromiumFor, startJupyterServer, tempDir,
  type RunningServer,
} from "./harness.js";
import { installGradlab } from "./notebook.js";

export const SCREENSHOTS = join(TMP, "screenshots");

export const hasLabTools = (): boolean => hasChromium() && hasJupyter() && hasJupyterLabServer();

export interface Lab {
  server: RunningServer;
  browser: Browser;
  notebookDir: string;
  /** Requests to anything but 127.0.0.1, all refused. */
  offsite: string[];
  consoleErrors: string[];
  pageErrors: string[];
  lastPage: Page | undefined;
  open(name: string, opts?: { refusePlotly?: boolean }): Promise<Page>;
  stop(): Promise<void>;
}

/** Builds (or reuses) the app, installs gradlab, lets `writeNotebooks` fill the notebook folder, then serves it. */
export async function startLab(writeNotebooks: (dir: string) => void): Promise<Lab> {
  const appDir = await buildLabApp(join(TMP, "lab-app"));
  const home = tempDir("jupyterlab-");
  // The kernelspec and the prebuilt extension land in <prefix>/share/jupyter, which JUPYTER_PATH puts first in
  // jupyter_path("kernels") and jupyter_path("labextensions"), where the server discovers them.
  const dataDir = installGradlab(join(home, "prefix"));
  const notebookDir = join(home, "notebooks");
  mkdirSync(notebookDir, { recursive: true });
  writeNotebooks(notebookDir);
  mkdirSync(SCREENSHOTS, { recursive: true });
  const server = await startJupyterServer({
    args: [PYTHON, join(ROOT, "test", "browser", "lab-app", "serve.py"), appDir],
    env: jupyterEnv(dataDir, home),
    rootDir: notebookDir,
    readyPath: "/lab",
    logFile: join(home, "server.log"),
  });
  const browser = await launchChromiumFor(server);
  let pages = 0;
  const lab: Lab = {
    server,
    browser,
    notebookDir,
    offsite: [],
    consoleErrors: [],
    pageErrors: [],
    lastPage: undefined,
    async open(name, opts = {}) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => {
        lab.offsite.push(route.request().url());
        return route.abort();
      });
      if (opts.refusePlotly) await page.route(/plotly\.min\.js/, (route) => route.abort());
      // jupyter_server 1.23 has no /api/events, /api/me or /lsp/status: those 404s are expected and harmless.
      page.on("console", (m) => {
        const text = m.text();
        if (m.type() === "error" && !/api\/events|status of 404/.test(text)) lab.consoleErrors.push(text.slice(0, 300));
      });
      page.on("pageerror", (e) => lab.pageErrors.push(String(e).slice(0, 300)));
      lab.lastPage = page;
      // A workspace of its own per page, or JupyterLab would restore the notebooks earlier pages opened, in other tabs.
      const workspace = `page-${++pages}`;
      await page.goto(`${server.baseUrl}/lab/workspaces/${workspace}/tree/${name}?token=${server.token}`, {
        waitUntil: "domcontentloaded",
        timeout: 120_000,
      });
      // page_config.json sets exposeAppInBrowser, so the application is window.jupyterapp once started.
      await page.waitForFunction(() => "jupyterapp" in window, undefined, { timeout: 90_000 });
      await page.evaluate(() => (window as unknown as { jupyterapp: { restored: Promise<void> } }).jupyterapp.restored);
      await shown(page).locator(".jp-Notebook .jp-Cell").first().waitFor({ timeout: 60_000 });
      expect(await page.locator(".jp-NotebookPanel").count()).toBe(1);
      // The extension came in through the server's federated_extensions list, as a webpack container.
      expect(await page.evaluate(() => Object.keys((window as unknown as { _JUPYTERLAB: object })._JUPYTERLAB))).toContain(
        "gradlab-plotly",
      );
      return page;
    },
    async stop() {
      await browser.close();
      await server.stop();
    },
  };
  return lab;
}

/** The notebook on screen: the default workspace reopens earlier notebooks too, in hidden tabs. */
export const shown = (page: Page): Locator => page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)");

export async function menu(page: Page, top: string, item: string): Promise<void> {
  await page.locator(".lm-MenuBar-itemLabel", { hasText: new RegExp(`^${top}$`) }).click();
  await page.locator(".lm-Menu-itemLabel", { hasText: new RegExp(`^${item}$`) }).first().click();
}

/** Running cells before the kernel is up would open JupyterLab's "Select Kernel" dialog instead. */
export async function waitForIdleKernel(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      type Kernel = { name: string; status: string; connectionStatus: string };
      const lab = (window as unknown as { jupyterapp?: { shell: { currentWidget: unknown } } }).jupyterapp;
      const widget = lab?.shell.currentWidget as { sessionContext?: { session?: { kernel?: Kernel } } } | undefined;
      const kernel = widget?.sessionContext?.session?.kernel;
      return kernel?.name === "gradlab" && kernel.connectionStatus === "connected" && kernel.status === "idle";
    },
    undefined,
    { timeout: 120_000 },
  );
}
