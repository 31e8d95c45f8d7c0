// `gradlab doctor`: checks an installation the way Jupyter will use it (Node, gradlab, TypeScript, the kernelspec the
// `jupyter` on PATH finds, the JupyterLab extension, then a real kernel started from that kernelspec running `1+1`),
// prints one line per check, and returns the exit status: 1 when anything is off, each problem with its fix.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { kernelArgv, oneShotRunner, packageRoot, readManifest, satisfiesEngines } from "../package.js";
import { findJupyter, findOnPath, jupyterKernelspec, jupyterPaths, type FoundKernelspec, type JupyterPaths } from "./jupyter.js";
import { kernelProblems, kernelTarget } from "./kernelspec.js";
import { labExtensionFolder, prebuiltLabExtension } from "./labextension.js";
import { DEFAULT_KERNEL_NAME } from "./install.js";

export interface DoctorOptions {
  name: string;
  /** Seconds allowed for the kernel to start and answer `1+1`. */
  timeoutS: number;
}

type Status = "ok" | "FAIL" | "note" | "skip";

class Report {
  readonly problems: string[] = [];
  constructor(private readonly out: (line: string) => void) {}

  line(status: Status, what: string, detail: string, fix?: string): void {
    this.out(`  ${status.padEnd(5)} ${what.padEnd(13)} ${detail}`);
    if (fix) this.out(`  ${"".padEnd(5)} ${"".padEnd(13)} fix: ${fix}`);
    if (status === "FAIL") this.problems.push(`${what}: ${detail}${fix ? ` (fix: ${fix})` : ""}`);
  }

  more(detail: string): void {
    this.out(`  ${"".padEnd(5)} ${"".padEnd(13)} ${detail}`);
  }
}

export async function doctor(options: DoctorOptions, out: (line: string) => void = console.log): Promise<number> {
  const report = new Report(out);
  const root = packageRoot();
  const manifest = readManifest(root)!;
  out("gradlab doctor");

  const engines = manifest.engines?.node;
  report.line(satisfiesEngines(process.version, engines) ? "ok" : "FAIL", "node",
    `${process.version} at ${process.execPath} (gradlab needs ${engines ?? "any"})`);
  const runner = oneShotRunner(root);
  report.line(runner ? "note" : "ok", "gradlab", `${manifest.version} at ${root}` + (runner ? ` (${runner}'s temporary cache)` : ""));
  checkTypeScript(report, root);

  const jupyter = findJupyter();
  let spec: FoundKernelspec | undefined;
  let paths: JupyterPaths | undefined;
  if (!jupyter) {
    report.line("FAIL", "jupyter", "no `jupyter` command on PATH, so no Jupyter frontend can start the kernel",
      "install Jupyter (JupyterLab or Notebook) and put it on PATH; `gradlab run` works without it");
  } else {
    try {
      paths = jupyterPaths(jupyter);
      spec = jupyterKernelspec(jupyter, options.name);
      report.line("ok", "jupyter", jupyter);
    } catch (error) {
      report.line("FAIL", "jupyter", `${jupyter} did not answer \`--paths\`/\`kernelspec list\`: ${firstLine(error)}`);
    }
  }

  const kernelspecOk = paths ? checkKernelspec(report, options.name, spec) : false;
  if (paths) checkLabExtension(report, root, paths);

  const useSpec = kernelspecOk && spec !== undefined;
  const argv = useSpec ? (spec!.spec.argv as string[]) : kernelArgv(process.execPath, root);
  const env = useSpec ? { ...process.env, ...(spec!.spec.env ?? {}) } : process.env;
  await checkKernel(report, argv, env, useSpec ? `from kernelspec ${options.name}` : "from this gradlab (no usable kernelspec)", options.timeoutS);

  const n = report.problems.length;
  out(n === 0 ? "gradlab doctor: everything works" : `gradlab doctor: ${n} problem${n > 1 ? "s" : ""}: ${report.problems.join("; ")}`);
  return n === 0 ? 0 : 1;
}

function firstLine(error: unknown): string {
  return String((error as Error).message ?? error).split("\n")[0]!;
}

function checkTypeScript(report: Report, root: string): void {
  const require = createRequire(join(root, "package.json"));
  const versions: string[] = [];
  for (const name of ["typescript", "@types/node"]) {
    try {
      versions.push(`${name} ${(JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version: string }).version}`);
    } catch {
      report.line("FAIL", "typescript", `${name} cannot be found from ${root}; cells cannot be type-checked`, "reinstall gradlab (`npm install gradlab`)");
      return;
    }
  }
  report.line("ok", "typescript", versions.join(", "));
}

/** The install command that rewrites a kernelspec found at `resourceDir` in place. */
function reinstallCommand(name: string, resourceDir: string): string {
  const shareJupyter = dirname(dirname(resourceDir));
  const nameFlag = name === DEFAULT_KERNEL_NAME ? "" : ` --name ${name}`;
  if (basename(shareJupyter) === "jupyter" && basename(dirname(shareJupyter)) === "share") {
    return `gradlab install --force --prefix ${dirname(dirname(shareJupyter))}${nameFlag}`;
  }
  return `gradlab install --force${nameFlag}`;
}

function checkKernelspec(report: Report, name: string, found: FoundKernelspec | undefined): boolean {
  if (!found) {
    report.line("FAIL", "kernelspec", `Jupyter finds no kernelspec "${name}"`, `gradlab install${name === DEFAULT_KERNEL_NAME ? "" : ` --name ${name}`}`);
    return false;
  }
  const argv = Array.isArray(found.spec.argv) ? (found.spec.argv as string[]) : [];
  const target = kernelTarget(argv);
  const fix = reinstallCommand(name, found.resourceDir);
  if (target instanceof Error) {
    report.line("FAIL", "kernelspec", `${name} at ${found.resourceDir}: ${target.message}`, fix);
    return false;
  }
  const problems = kernelProblems(target);
  report.line(problems.length === 0 ? "ok" : "FAIL", "kernelspec",
    `${name} at ${found.resourceDir}` + (problems.length > 0 ? `: ${problems.join("; ")}` : ""), problems.length > 0 ? fix : undefined);
  report.more(`runs ${target.node} ${target.bin}` + (target.version ? ` (gradlab ${target.version})` : ""));
  return problems.length === 0;
}

/** Extensions JupyterLab is told to leave off: `disabledExtensions` of every labconfig/page_config(.d) file. */
function disabledLabExtensions(configDirs: string[]): Map<string, string> {
  const disabled = new Map<string, string>();
  // Lowest priority first, as Jupyter's config manager merges them.
  for (const dir of [...configDirs].reverse()) {
    const labconfig = join(dir, "labconfig");
    const dropIns = existsSync(join(labconfig, "page_config.d"))
      ? readdirSync(join(labconfig, "page_config.d")).filter((f) => f.endsWith(".json")).sort().map((f) => join(labconfig, "page_config.d", f))
      : [];
    for (const file of [...dropIns, join(labconfig, "page_config.json")]) {
      if (!existsSync(file)) continue;
      try {
        const entry = (JSON.parse(readFileSync(file, "utf8")) as { disabledExtensions?: Record<string, boolean> | string[] }).disabledExtensions;
        const pairs: [string, boolean][] = Array.isArray(entry) ? entry.map((n) => [n, true]) : Object.entries(entry ?? {});
        for (const [name, off] of pairs) {
          if (off) disabled.set(name, file);
          else disabled.delete(name);
        }
      } catch {
        // An unreadable page_config is JupyterLab's to report; it does not disable anything here.
      }
    }
  }
  return disabled;
}

function checkLabExtension(report: Report, root: string, paths: JupyterPaths): void {
  const prebuilt = prebuiltLabExtension(root);
  const installed = paths.data
    .map((d) => labExtensionFolder(join(d, "labextensions"), prebuilt.name))
    .find((dir) => readManifest(dir)?.name === prebuilt.name);
  if (!installed) {
    report.line("FAIL", "labextension", `${prebuilt.name} is in none of Jupyter's labextensions folders; JupyterLab would show plots as static SVG`,
      "gradlab install (into a location on Jupyter's data path)");
    return;
  }
  const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as { version: string; jupyterlab?: { _build?: { load?: string } } };
  const load = manifest.jupyterlab?._build?.load;
  if (!load || !existsSync(join(installed, load))) {
    report.line("FAIL", "labextension", `${installed} is incomplete (no built entry point ${load ?? "in package.json"})`, "gradlab install --force");
    return;
  }
  const off = disabledLabExtensions(paths.config).get(prebuilt.name);
  if (off) {
    report.line("FAIL", "labextension", `${prebuilt.name} ${manifest.version} at ${installed} is disabled in ${off}`, `jupyter labextension enable ${prebuilt.name}`);
    return;
  }
  report.line("ok", "labextension", `${prebuilt.name} ${manifest.version} at ${installed}, enabled`);
  if (manifest.version !== prebuilt.version) report.more(`this gradlab ships ${prebuilt.version}; \`gradlab install --force\` updates it`);
  if (!findOnPath("jupyter-lab")) {
    report.line("note", "jupyterlab", "no `jupyter-lab` on PATH: the extension is in place for when JupyterLab is installed");
  }
}

async function checkKernel(report: Report, argv: string[], env: NodeJS.ProcessEnv, how: string, timeoutS: number): Promise<void> {
  const { startKernel } = await import("../client/index.js");
  const started = Date.now();
  let kernel;
  try {
    kernel = await startKernel({ argv, env, readyTimeoutMs: timeoutS * 1000 });
  } catch (error) {
    report.line("FAIL", "kernel", `did not start ${how}: ${firstLine(error)}`);
    return;
  }
  try {
    const startS = ((Date.now() - started) / 1000).toFixed(1);
    const { reply, iopub } = await kernel.client.execute("1+1", { timeoutMs: timeoutS * 1000 });
    const result = iopub.find((m) => m.header.msg_type === "execute_result")?.content as { data?: Record<string, unknown> } | undefined;
    const text = result?.data?.["text/plain"];
    if (reply.content.status === "ok" && text === "2") report.line("ok", "kernel", `started ${how} in ${startS} s; 1+1 = 2`);
    else report.line("FAIL", "kernel", `started ${how}, but 1+1 gave ${reply.content.status}: ${JSON.stringify(text ?? reply.content.evalue ?? null)}`);
  } catch (error) {
    report.line("FAIL", "kernel", `started ${how}, but 1+1 got no answer: ${firstLine(error)}`);
  } finally {
    await kernel.shutdown(5000).catch(() => undefined);
  }
}
