// Asking the user's Jupyter (the `jupyter` command on PATH) what it sees: its search paths and its kernelspecs, so
// `doctor` checks what Jupyter will actually run rather than what gradlab wrote.
import { execFileSync } from "node:child_process";
import { accessSync, constants, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";

export interface JupyterPaths {
  data: string[];
  config: string[];
}

export interface FoundKernelspec {
  resourceDir: string;
  spec: { argv?: unknown; env?: Record<string, string>; interrupt_mode?: string; display_name?: string };
}

/** An executable named `name` on PATH, or undefined. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const names = process.platform === "win32" ? [`${name}.exe`, `${name}.cmd`] : [name];
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    for (const file of dir ? names.map((n) => join(dir, n)) : []) {
      try {
        accessSync(file, constants.X_OK);
        return file;
      } catch {
        // not here; keep looking
      }
    }
  }
  return undefined;
}

/** The `jupyter` executable on PATH, or undefined. */
export function findJupyter(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findOnPath("jupyter", env);
}

/** The Python interpreter a `jupyter` script starts with (its `#!` line), when it is a script. */
export function jupyterPython(jupyter: string): string | undefined {
  try {
    const first = readFileSync(jupyter, "utf8").slice(0, 300).split("\n")[0] ?? "";
    const interpreter = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(first);
    if (!interpreter) return undefined;
    // `#!/usr/bin/env python3` names the interpreter in its argument.
    return interpreter[1]!.endsWith("/env") ? interpreter[2] : interpreter[1];
  } catch {
    return undefined;
  }
}

function jupyterJson(jupyter: string, args: string[]): unknown {
  const out = execFileSync(jupyter, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
  return JSON.parse(out);
}

/** `jupyter --paths --json`: where Jupyter looks for data (kernels, labextensions) and config, highest priority first. */
export function jupyterPaths(jupyter: string): JupyterPaths {
  const paths = jupyterJson(jupyter, ["--paths", "--json"]) as Partial<JupyterPaths>;
  return { data: paths.data ?? [], config: paths.config ?? [] };
}

/** `jupyter kernelspec list --json`: the kernelspec Jupyter would start under `name`, or undefined. */
export function jupyterKernelspec(jupyter: string, name: string): FoundKernelspec | undefined {
  const list = jupyterJson(jupyter, ["kernelspec", "list", "--json"]) as { kernelspecs?: Record<string, { resource_dir: string; spec: FoundKernelspec["spec"] }> };
  const found = list.kernelspecs?.[name];
  return found ? { resourceDir: found.resource_dir, spec: found.spec } : undefined;
}
