// The prebuilt gradlab-plotly extension as `gradlab install` lays it out: the manifest @jupyterlab/builder wrote, the
// federated container that takes @lumino/widgets from the host instead of bundling it, and the classic Notebook
// nbextension. No browser: jupyterlab.test.ts shows the extension drawing in a builder-built JupyterLab.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { tempDir } from "./harness.js";
import { installGradlab } from "./notebook.js";

describe("gradlab install: the gradlab-plotly lab and notebook extensions", () => {
  let prefix: string;
  let dataDir: string;
  let labDir: string;

  beforeAll(() => {
    prefix = join(tempDir("install-"), "prefix");
    dataDir = installGradlab(prefix);
    labDir = join(dataDir, "labextensions", "gradlab-plotly");
  });

  test("the lab extension is where JupyterLab looks, with the builder's manifest, install.json and plotly.js", () => {
    const manifest = JSON.parse(readFileSync(join(labDir, "package.json"), "utf8"));
    const root = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "package.json"), "utf8"));
    expect(manifest.name).toBe("gradlab-plotly");
    expect(manifest.version).toBe(root.version);
    expect(manifest.jupyterlab._build.mimeExtension).toBe("./mimeExtension");
    expect(manifest.jupyterlab._build.extension).toBeUndefined();
    expect(manifest.jupyterlab._build.load).toMatch(/^static\/remoteEntry\.[0-9a-f]+\.js$/);
    expect(existsSync(join(labDir, manifest.jupyterlab._build.load))).toBe(true);
    const install = JSON.parse(readFileSync(join(labDir, "install.json"), "utf8"));
    expect(install).toMatchObject({ packageManager: "npm", packageName: "gradlab" });
    expect(readFileSync(join(labDir, "static", "plotly.min.js"), "utf8").slice(0, 400)).toContain("plotly.js v");
  });

  test("the container registers as _JUPYTERLAB['gradlab-plotly'] and consumes @lumino/widgets from the host", () => {
    const manifest = JSON.parse(readFileSync(join(labDir, "package.json"), "utf8"));
    const entry = readFileSync(join(labDir, manifest.jupyterlab._build.load), "utf8");
    expect(entry).toMatch(/^var _JUPYTERLAB;/);
    expect(entry).toContain('["gradlab-plotly"]=');
    expect(entry).toContain('"./mimeExtension"');
    expect(entry).toMatch(/"@lumino\/widgets"/);
    // Lumino's Widget class is the host's: none of the extension's chunks carries its source.
    const chunks = readdirSync(join(labDir, "static")).filter((f) => f.endsWith(".js") && f !== "plotly.min.js");
    const code = chunks.map((f) => readFileSync(join(labDir, "static", f), "utf8")).join("\n");
    expect(code).not.toContain("class Widget");
    expect(code).toContain("gradlab-plotly:renderer");
  });

  test("the classic Notebook nbextension is installed with plotly.js and enabled in the prefix's nbconfig", () => {
    const dir = join(dataDir, "nbextensions", "gradlab-plotly");
    expect(readFileSync(join(dir, "main.js"), "utf8")).toContain("shim: { plotly: { exports: \"Plotly\" } }");
    expect(existsSync(join(dir, "plotly.min.js"))).toBe(true);
    const enabled = JSON.parse(readFileSync(join(prefix, "etc", "jupyter", "nbconfig", "notebook.d", "gradlab-plotly.json"), "utf8"));
    expect(enabled).toEqual({ load_extensions: { "gradlab-plotly/main": true } });
  });
});
