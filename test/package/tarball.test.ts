// The npm package as a user gets it: `npm pack`, the tarball installed into a fresh project outside the repository, and
// everything used from there (CLI, kernelspec, doctor, notebooks through nbconvert and `gradlab run`, ESM, CommonJS and
// typed consumers), including a moved install and a one-shot npx cache.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasJupyter, requireTool } from "../helpers/require.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const manifest = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string };

/** What the tarball may hold (paths inside the package), and how big it may get before someone looks at why. */
const ALLOWED = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^bin\/gradlab\.js$/, /^kernel\/assets\//, /^dist\/(lib|kernel|cli|labextension|nbextension)\//];
// The largest parts: plotly.js for the lab extension (4.6 MB unpacked) and the widget embed script (1.9 MB).
const BUDGET = { files: 700, packedBytes: 3e6, unpackedBytes: 10e6 };

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string; size: number }[];
}

/** One line of output, without a Node stack trace: what a user must see for bad input. */
function expectOneLineReason(r: SpawnSyncReturns<string>, reason: RegExp): void {
  expect(r.status, r.stderr).not.toBe(0);
  const text = (r.stderr + r.stdout).trim();
  expect(text).toMatch(reason);
  expect(text.split("\n")).toHaveLength(1);
  expect(text).not.toMatch(/^\s+at /m);
}

describe.skipIf(!requireTool("Jupyter (nbconvert, kernelspec)", hasJupyter()))("the npm package, installed from its tarball", () => {
  let dir: string; // holds the tarball, the consumer project and the Jupyter prefix
  let project: string;
  let pack: PackResult;
  let installLog: string;
  let env: NodeJS.ProcessEnv; // Jupyter sees only this test's folders; /usr/bin's jupyter comes first
  const prefix = (): string => join(dir, "prefix");

  const npx = (args: string[], cwd = project): SpawnSyncReturns<string> =>
    spawnSync("npx", ["--no-install", "gradlab", ...args], { cwd, env, encoding: "utf8", timeout: 180_000 });

  beforeAll(async () => {
    if (!existsSync(join(REPO, "dist", "cli", "main.js"))) throw new Error("dist/ is missing: run `npm run build` first");
    dir = await mkdtemp(join(tmpdir(), "gradlab-package-"));
    // The build ran already (scripts/setup.sh); `prepack` would run it again for nothing.
    const packed = spawnSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { cwd: REPO, encoding: "utf8" });
    expect(packed.status, packed.stderr).toBe(0);
    pack = (JSON.parse(packed.stdout) as PackResult[])[0]!;

    project = join(dir, "project");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
    const installed = spawnSync("npm", ["install", join(dir, pack.filename), "--no-audit", "--no-fund"], { cwd: project, encoding: "utf8", timeout: 300_000 });
    installLog = installed.stdout + installed.stderr;
    expect(installed.status, installLog).toBe(0);

    mkdirSync(prefix());
    const jupyterHome = join(dir, "jupyter");
    env = {
      ...process.env,
      PATH: `/usr/bin:${process.env.PATH ?? ""}`,
      JUPYTER_PATH: join(prefix(), "share", "jupyter"),
      JUPYTER_DATA_DIR: join(jupyterHome, "data"),
      JUPYTER_CONFIG_DIR: join(jupyterHome, "config"),
      JUPYTER_RUNTIME_DIR: join(jupyterHome, "runtime"),
      JUPYTER_PLATFORM_DIRS: "0",
      PYTHONNOUSERSITE: "1",
    };
  }, 400_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("holds the built package and nothing else, within its size budget", () => {
    const paths = pack.files.map((f) => f.path);
    console.log(`npm pack: ${pack.entryCount} files, ${(pack.size / 1e6).toFixed(2)} MB packed, ${(pack.unpackedSize / 1e6).toFixed(2)} MB unpacked`);
    expect(paths.filter((p) => !ALLOWED.some((re) => re.test(p)))).toEqual([]);
    // Built output only: TypeScript sources stay in the repository (declarations ship).
    expect(paths.filter((p) => p.endsWith(".ts") && !p.endsWith(".d.ts"))).toEqual([]);
    for (const needed of ["dist/lib/index.js", "dist/lib/index.d.ts", "dist/cli/main.js", "dist/kernel/main.js", "dist/labextension/gradlab-plotly/package.json", "LICENSE", "README.md"]) {
      expect(paths).toContain(needed);
    }
    expect(paths.some((p) => p.endsWith(".wasm"))).toBe(true);
    expect(pack.entryCount).toBeLessThanOrEqual(BUDGET.files);
    expect(pack.size).toBeLessThanOrEqual(BUDGET.packedBytes);
    expect(pack.unpackedSize).toBeLessThanOrEqual(BUDGET.unpackedBytes);
  });

  it("installs under Node 20 without engine or deprecation warnings", () => {
    expect(installLog).not.toMatch(/EBADENGINE/);
    expect(installLog).not.toMatch(/deprecated/i);
    // Only what runs is installed: no types-only or build-tool packages from gradlab's side.
    for (const devOnly of ["@jupyterlab/nbformat", "esbuild", "vitest", "@jupyterlab/builder"]) {
      expect(existsSync(join(project, "node_modules", devOnly)), devOnly).toBe(false);
    }
  });

  it("`gradlab --version` prints the package's version", () => {
    const r = npx(["--version"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(manifest.version);
  });

  it("library consumers: ESM import, CommonJS require, and types for both", () => {
    const program = `const f = (x) => x.mul(x).sum(); console.log(grad(f)(tensor([1, 2, 3])).toArray().join(","));`;
    writeFileSync(join(project, "esm.mjs"), `import { grad, tensor } from "gradlab";\n${program}\n`);
    writeFileSync(join(project, "cjs.cjs"), `const { grad, tensor } = require("gradlab");\n${program}\n`);
    for (const file of ["esm.mjs", "cjs.cjs"]) {
      const r = spawnSync(process.execPath, [file], { cwd: project, encoding: "utf8" });
      expect(r.status, `${file}: ${r.stderr}`).toBe(0);
      expect(r.stdout.trim(), file).toBe("2,4,6");
    }
    const typed = `import { grad, tensor, type Tensor } from "gradlab";\nconst g: Tensor = grad((x: Tensor) => x.mul(x).sum())(tensor([1, 2, 3]));\nconst wrong: string = g;\nexport { wrong };\n`;
    writeFileSync(join(project, "typed.mts"), typed);
    writeFileSync(join(project, "typed.cts"), typed);
    writeFileSync(join(project, "legacy.ts"), typed); // `module: commonjs` with node10 resolution reads `types`
    const tsc = join(project, "node_modules", "typescript", "bin", "tsc");
    const check = (files: string[], options: string[]): string => {
      const r = spawnSync(process.execPath, [tsc, "--noEmit", "--strict", ...options, ...files], { cwd: project, encoding: "utf8" });
      return r.stdout + r.stderr;
    };
    // Each consumer sees gradlab's types: the one deliberate mistake (a Tensor assigned to a string) is the only error.
    for (const [files, options] of [
      [["typed.mts", "typed.cts"], ["--module", "nodenext"]],
      [["legacy.ts"], ["--module", "commonjs", "--moduleResolution", "node10"]],
    ] as const) {
      const errors = check([...files], [...options]).split("\n").filter((l) => /error TS/.test(l));
      expect(errors.map((e) => e.replace(/\(\d+,\d+\).*?error/, " error").replace(/:.*/, "")).sort()).toEqual(files.map((f) => `${f} error TS2322`).sort());
    }
  });

  it("`gradlab install --prefix` then `gradlab doctor` reports a healthy install", () => {
    const installed = npx(["install", "--prefix", prefix()]);
    expect(installed.status, installed.stderr).toBe(0);
    const spec = JSON.parse(readFileSync(join(prefix(), "share", "jupyter", "kernels", "gradlab", "kernel.json"), "utf8")) as { argv: string[] };
    expect(spec.argv[1]).toBe(join(project, "node_modules", "gradlab", "bin", "gradlab.js"));
    expect(existsSync(join(prefix(), "share", "jupyter", "labextensions", "gradlab-plotly", "package.json"))).toBe(true);
    const doctor = npx(["doctor"]);
    console.log(`gradlab doctor (healthy install):\n${doctor.stdout}`);
    expect(doctor.status, doctor.stdout + doctor.stderr).toBe(0);
    expect(doctor.stdout).toMatch(/ok\s+kernelspec\s+gradlab at /);
    expect(doctor.stdout).toMatch(/ok\s+kernel\s+started from kernelspec gradlab .*1\+1 = 2/);
    expect(doctor.stdout).toMatch(/everything works/);
  });

  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "gradlab", display_name: "TypeScript (gradlab)", language: "typescript" } },
    cells: [
      ["c1", `import { grad, tensor, type Tensor } from "gradlab";`],
      ["c2", `const f = (x: Tensor) => x.mul(x).sum();`],
      ["c3", `String(grad(f)(tensor([1, 2, 3])).toArray())`],
    ].map(([id, source]) => ({ cell_type: "code", id, metadata: {}, source, outputs: [], execution_count: null })),
  };
  const lastResult = (file: string): string => {
    const executed = JSON.parse(readFileSync(file, "utf8")) as { cells: { outputs: { output_type: string; data?: Record<string, unknown> }[] }[] };
    const text = executed.cells[2]!.outputs.find((o) => o.output_type === "execute_result")?.data?.["text/plain"];
    return Array.isArray(text) ? text.join("") : String(text); // nbformat may store text as a list of lines
  };

  it("a notebook runs on that kernelspec with `jupyter nbconvert --execute` and with `gradlab run --html`", () => {
    writeFileSync(join(project, "three.ipynb"), JSON.stringify(notebook));
    const nbconvert = spawnSync("/usr/bin/jupyter", ["nbconvert", "--to", "notebook", "--execute", "--output", "three.nbconvert.ipynb", "three.ipynb"],
      { cwd: project, env, encoding: "utf8", timeout: 180_000 });
    expect(nbconvert.status, nbconvert.stderr).toBe(0);
    expect(lastResult(join(project, "three.nbconvert.ipynb"))).toBe("'2,4,6'");

    const run = npx(["run", "three.ipynb", "--html", "--out", "report"]);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(lastResult(join(project, "report", "three.ipynb"))).toBe("'2,4,6'");
    expect(readFileSync(join(project, "report", "three.html"), "utf8")).toContain("2,4,6");
  });

  it("bad input gets a one-line reason and a non-zero exit", () => {
    expectOneLineReason(npx(["install", "--prefix", "/nonexistent/readonly"]), /^gradlab: --prefix \/nonexistent\/readonly: no such directory$/);
    expectOneLineReason(npx(["install", "--bogus"]), /^gradlab: unknown option '--bogus'$/);
    expectOneLineReason(npx(["run", "missing.ipynb"]), /^gradlab run: no such notebook: missing\.ipynb$/);
  });

  it("a moved install: `doctor` finds the stale kernelspec, `install --force` repairs it", () => {
    const moved = join(dir, "moved-project");
    renameSync(project, moved);
    project = moved;
    const broken = npx(["doctor"]);
    console.log(`gradlab doctor (kernelspec pointing at a deleted path):\n${broken.stdout}`);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/FAIL\s+kernelspec\s+gradlab at .*which no longer exists/);
    expect(broken.stdout).toMatch(new RegExp(`fix: gradlab install --force --prefix ${prefix()}`));

    const plain = npx(["install", "--prefix", prefix()]);
    expectOneLineReason(plain, /no longer exists.*run `gradlab install --force --prefix /);
    const forced = npx(["install", "--force", "--prefix", prefix()]);
    expect(forced.status, forced.stderr).toBe(0);
    expect(npx(["doctor"]).status).toBe(0);
  });

  it("refuses to install from a one-shot npx cache, saying what to run instead", () => {
    // The layout `npm exec`/npx uses: <cache>/_npx/<hash>/node_modules/gradlab, cleared without notice.
    const cache = join(dir, "npm-cache", "_npx", "0123456789abcdef");
    mkdirSync(join(dir, "npm-cache", "_npx"), { recursive: true });
    renameSync(project, cache);
    project = cache;
    const r = npx(["install", "--prefix", prefix()]);
    expectOneLineReason(r, /npx's temporary cache .*`npm install -g gradlab && gradlab install`/);
  });
});
