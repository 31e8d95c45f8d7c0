// Opens report pages in Debian's headless Chromium (playwright-core) with every network request refused and recorded.
import { chromium, type Browser, type Page } from "playwright-core";

export interface OfflinePage {
  page: Page;
  /** URLs the page tried to fetch from the network (should stay empty: the report is self-contained). */
  blocked: string[];
  pageErrors: string[];
}

export async function launchChromium(): Promise<Browser> {
  // playwright's launch() already uses a fresh temporary profile (it refuses --user-data-dir).
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
}

export async function openOffline(browser: Browser, file: string): Promise<OfflinePage> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const blocked: string[] = [];
  const pageErrors: string[] = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file://") || url.startsWith("data:")) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  page.on("pageerror", (err) => pageErrors.push(err.message));
  await page.goto(`file://${file}`, { waitUntil: "load" });
  return { page, blocked, pageErrors };
}
