// `gradlab install` and `uninstall`: kernelspec contents, locations (--prefix, --user via JUPYTER_DATA_DIR), logos,
// name checks, removal, and Jupyter's own `jupyter kernelspec list` seeing it.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GRADLAB_BIN, jupyterSandbox, type JupyterSandbox } from "../helpers/kernel.js";
import { hasJupyter, requireTool } from "../helpers/require.js";

function pngSize(file: string): [number, number] {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString()).toBe("PNG");
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe("gradlab --version", () => {
  it("prints the version of the package it runs from, and exits 0", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    for (const flag of ["--version", "-V"]) {
      const r = spawnSync(process.execPath, [GRADLAB_BIN, flag], { encoding: "utf8" });
      expect(r.status).toBe(0);
      expect(r.stdout.trim()).toBe(pkg.version);
    }
  });
});

describe("gradlab install", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "gradlab-install-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("--prefix writes kernel.json with absolute paths, typescript, interrupt_mode and logos", () => {
    execFileSync(process.execPath, [GRADLAB_BIN, "install", "--prefix", dir, "--name", "gl-test", "--display-name", "GL Test"], { stdio: "pipe" });
    const kernelDir = join(dir, "share", "jupyter", "kernels", "gl-test");
    const spec = JSON.parse(readFileSync(join(kernelDir, "kernel.json"), "utf8"));
    expect(spec.display_name).toBe("GL Test");
    expect(spec.language).toBe("typescript");
    expect(spec.interrupt_mode).toBe("signal");
    expect(spec.argv[0]).toBe(process.execPath);
    expect(isAbsolute(spec.argv[1])).toBe(true);
    expect(existsSync(spec.argv[1])).toBe(true);
    expect(spec.argv.slice(2)).toEqual(["kernel", "--connection-file", "{connection_file}"]);
    expect(spec.metadata.gradlab.version).toMatch(/^\d+\.\d+\.\d+/);
    // glibc malloc thresholds pinned for tensor buffers (kernel/kernel_env.ts): Jupyter starts the kernel with them.
    expect(spec.env).toEqual({ MALLOC_MMAP_THRESHOLD_: String(32 << 20), MALLOC_TRIM_THRESHOLD_: String(128 << 20) });
    expect(pngSize(join(kernelDir, "logo-32x32.png"))).toEqual([32, 32]);
    expect(pngSize(join(kernelDir, "logo-64x64.png"))).toEqual([64, 64]);
    expect(readFileSync(join(kernelDir, "logo-svg.svg"), "utf8")).toContain("<svg");
  });

  it("--user (the default) installs into JUPYTER_DATA_DIR with the default name and display name", () => {
    const dataDir = join(dir, "user-data");
    const configDir = join(dir, "user-config"); // the classic-Notebook extension is enabled there, never in the real home
    execFileSync(process.execPath, [GRADLAB_BIN, "install"], { env: { ...process.env, JUPYTER_DATA_DIR: dataDir, JUPYTER_CONFIG_DIR: configDir }, stdio: "pipe" });
    expect(existsSync(join(configDir, "nbconfig", "notebook.d", "gradlab-plotly.json"))).toBe(true);
    const spec = JSON.parse(readFileSync(join(dataDir, "kernels", "gradlab", "kernel.json"), "utf8"));
    expect(spec.display_name).toBe("TypeScript (gradlab)");
  });

  it("rejects a kernel name with path characters and conflicting locations", () => {
    const bad = spawnSync(process.execPath, [GRADLAB_BIN, "install", "--prefix", dir, "--name", "../evil"], { encoding: "utf8" });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--name .*\.\.\/evil.*use letters, digits/);
    const conflict = spawnSync(process.execPath, [GRADLAB_BIN, "install", "--user", "--prefix", dir], { encoding: "utf8" });
    expect(conflict.status).not.toBe(0);
  });

  it("uninstall removes the kernelspec and, once no gradlab kernelspec there is left, the plot renderers", () => {
    const prefix = join(dir, "uninstall");
    mkdirSync(prefix);
    const run = (args: string[]) => spawnSync(process.execPath, [GRADLAB_BIN, ...args, "--prefix", prefix], { encoding: "utf8" });
    expect(run(["install"]).status).toBe(0);
    expect(run(["install", "--name", "gradlab-two"]).status).toBe(0);
    const share = join(prefix, "share", "jupyter");
    const first = run(["uninstall"]);
    expect(first.status, first.stderr).toBe(0);
    expect(existsSync(join(share, "kernels", "gradlab"))).toBe(false);
    expect(first.stdout).toMatch(/Kept the plot renderer extensions: gradlab kernelspec\(s\) gradlab-two/);
    expect(existsSync(join(share, "labextensions", "gradlab-plotly"))).toBe(true);
    expect(run(["uninstall", "--name", "gradlab-two"]).status).toBe(0);
    expect(existsSync(join(share, "labextensions", "gradlab-plotly"))).toBe(false);
    expect(existsSync(join(share, "nbextensions", "gradlab-plotly"))).toBe(false);
    expect(existsSync(join(prefix, "etc", "jupyter", "nbconfig", "notebook.d", "gradlab-plotly.json"))).toBe(false);
    const again = run(["uninstall"]);
    expect(again.status).toBe(1);
    expect(again.stderr.trim()).toBe(`gradlab: no kernelspec "gradlab" in ${join(share, "kernels")}`);
  });

  it("uninstall leaves a kernelspec of that name that is not gradlab's", () => {
    const prefix = join(dir, "foreign");
    const kernelDir = join(prefix, "share", "jupyter", "kernels", "gradlab");
    mkdirSync(kernelDir, { recursive: true });
    writeFileSync(join(kernelDir, "kernel.json"), JSON.stringify({ argv: ["python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"] }));
    const r = spawnSync(process.execPath, [GRADLAB_BIN, "uninstall", "--prefix", prefix], { encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/is not gradlab's; remove it with `jupyter kernelspec remove gradlab`/);
    expect(existsSync(join(kernelDir, "kernel.json"))).toBe(true);
  });

  it("`gradlab kernel` without --connection-file fails with a usage error", () => {
    const result = spawnSync(process.execPath, [GRADLAB_BIN, "kernel"], { encoding: "utf8" });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/--connection-file/);
  });
});

describe.skipIf(!requireTool("Jupyter (jupyter kernelspec)", hasJupyter() && existsSync("/usr/bin/jupyter-kernelspec")))("jupyter kernelspec list", () => {
  let sandbox: JupyterSandbox;
  beforeAll(async () => {
    sandbox = await jupyterSandbox();
  });
  afterAll(async () => {
    await sandbox?.cleanup();
  });

  it("shows the installed gradlab kernelspec", () => {
    const out = execFileSync("/usr/bin/jupyter", ["kernelspec", "list", "--json"], { env: sandbox.env, encoding: "utf8" });
    const specs = JSON.parse(out).kernelspecs;
    expect(specs.gradlab.resource_dir).toBe(join(sandbox.env.JUPYTER_DATA_DIR!, "kernels", "gradlab"));
    expect(specs.gradlab.spec).toMatchObject({ language: "typescript", display_name: "TypeScript (gradlab)", interrupt_mode: "signal" });
  });
});
