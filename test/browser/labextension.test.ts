// The prebuilt gradlab-plotly extension as `gradlab install` lays it out, and its federated container protocol
// (init(shareScope) / get(module)) exercised in a VM with a stand-in share scope. No browser needed.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { beforeAll, describe, expect, test } from "vitest";
import { tempDir } from "./harness.js";
import { PLOTLY_MIME, installGradlab } from "./notebook.js";

interface Container {
  init(scope: unknown): Promise<void>;
  get(module: string): Promise<() => { default: Record<string, unknown> & { rendererFactory: Record<string, unknown> } }>;
}

class StubWidget {
  readonly classes: string[] = [];
  addClass(name: string): void {
    this.classes.push(name);
  }
}

describe("gradlab install: the gradlab-plotly lab and notebook extensions", () => {
  let prefix: string;
  let dataDir: string;

  beforeAll(() => {
    prefix = join(tempDir("install-"), "prefix");
    dataDir = installGradlab(prefix);
  });

  function loadContainer(): Container {
    const manifest = JSON.parse(readFileSync(join(dataDir, "labextensions", "gradlab-plotly", "package.json"), "utf8"));
    const code = readFileSync(join(dataDir, "labextensions", "gradlab-plotly", manifest.jupyterlab._build.load), "utf8");
    const window: Record<string, unknown> = {};
    const src = "http://127.0.0.1:8888/lab/extensions/gradlab-plotly/static/remoteEntry.js";
    runInNewContext(code, { window, document: { currentScript: { src } }, URL });
    return (window._JUPYTERLAB as Record<string, Container>)["gradlab-plotly"]!;
  }

  test("the lab extension is where JupyterLab looks, with a manifest naming its container and mime extension", () => {
    const dir = join(dataDir, "labextensions", "gradlab-plotly");
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    expect(manifest.name).toBe("gradlab-plotly");
    expect(manifest.jupyterlab._build.mimeExtension).toBe("./mimeExtension");
    expect(manifest.jupyterlab._build.load).toMatch(/^static\/remoteEntry\.[0-9a-f]+\.js$/);
    expect(existsSync(join(dir, manifest.jupyterlab._build.load))).toBe(true);
    expect(readFileSync(join(dir, "static", "plotly.min.js"), "utf8").slice(0, 400)).toContain("plotly.js v");
  });

  test("the container takes @lumino/widgets from the host's share scope and yields a plotly mime renderer", async () => {
    const container = loadContainer();
    let handedOut = 0;
    await container.init({
      "@lumino/widgets": {
        "1.9.0": { get: () => Promise.reject(new Error("wrong major taken")) },
        "2.7.1": { get: () => Promise.resolve(() => (handedOut++, { Widget: StubWidget })) },
      },
    });
    const mod = (await container.get("./mimeExtension"))();
    const extension = mod.default;
    expect(handedOut).toBe(1);
    expect(extension.id).toBe("gradlab-plotly:renderer");
    expect(extension.rank).toBe(0);
    expect(extension.dataType).toBe("json");
    expect(extension.rendererFactory.mimeTypes).toEqual([PLOTLY_MIME]);
    expect(extension.rendererFactory.safe).toBe(true);
    const createRenderer = extension.rendererFactory.createRenderer as (o: { mimeType: string }) => StubWidget;
    const renderer = createRenderer({ mimeType: PLOTLY_MIME });
    expect(renderer).toBeInstanceOf(StubWidget);
    expect(renderer.classes).toContain("gradlab-plotly");
    await expect(container.get("./extension")).rejects.toThrow(/no module \.\/extension/);
  });

  test("a page that shares no @lumino/widgets 2.x gets a clear error", async () => {
    const container = loadContainer();
    await container.init({ "@lumino/widgets": { "1.37.0": { get: () => Promise.resolve(() => ({})) } } });
    await expect(container.get("./mimeExtension")).rejects.toThrow(/shares no @lumino\/widgets@2\.x/);
  });

  test("the classic Notebook nbextension is installed with plotly.js and enabled in the prefix's nbconfig", () => {
    const dir = join(dataDir, "nbextensions", "gradlab-plotly");
    expect(readFileSync(join(dir, "main.js"), "utf8")).toContain("shim: { plotly: { exports: \"Plotly\" } }");
    expect(existsSync(join(dir, "plotly.min.js"))).toBe(true);
    const enabled = JSON.parse(readFileSync(join(prefix, "etc", "jupyter", "nbconfig", "notebook.d", "gradlab-plotly.json"), "utf8"));
    expect(enabled).toEqual({ load_extensions: { "gradlab-plotly/main": true } });
  });
});
