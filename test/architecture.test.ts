// Dependency direction (README's Architecture): parses every import of lib/, kernel/ and cli/ and checks it against the
// layer rules.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), "..");

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const rel = join(dir, name);
    if (statSync(join(ROOT, rel)).isDirectory()) out.push(...sourceFiles(rel));
    else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) out.push(rel);
  }
  return out;
}

/** Imports of a file: repo-relative .ts paths for relative imports, the bare specifier otherwise. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(join(ROOT, file), "utf8"), true, true);
  return info.importedFiles.map(({ fileName }) => {
    if (!fileName.startsWith(".")) return fileName;
    return relative(ROOT, resolve(ROOT, dirname(file), fileName)).replace(/\.js$/, ".ts");
  });
}

const isNode = (t: string) => t.startsWith("node:");
const under = (t: string, ...dirs: string[]) => dirs.some((d) => t === d || t.startsWith(d.endsWith(".ts") ? d : `${d}/`));
const external = (t: string) => !["lib/", "kernel/", "cli/", "bench/"].some((d) => t.startsWith(d)) && !isNode(t);

/** A rule: which files it governs and whether one import is allowed (true) or why not (string). */
interface Rule {
  files: (f: string) => boolean;
  check: (target: string, file: string) => true | string;
}

const RULES: Rule[] = [
  {
    files: (f) => f.startsWith("lib/"),
    check: (t) =>
      under(t, "kernel", "cli") ? "lib never imports kernel/ or cli/"
        : t === "zeromq" || t === "typescript" ? `lib never imports ${t}`
          : true,
  },
  {
    files: (f) => f.startsWith("lib/") && !f.startsWith("lib/backend/"),
    // The one exception: a heatmap's static PNG is deflated by Node's own zlib, as the PNG format requires.
    check: (t, f) => (isNode(t) && !(f === "lib/display/png.ts" && t === "node:zlib") ? "node:* only behind the CPU backend seam (lib/backend)" : true),
  },
  {
    files: (f) => f.startsWith("lib/tensor/"),
    check: (t) => (under(t, "lib/tensor") ? true : "lib/tensor is the data layer: it imports only lib/tensor"),
  },
  {
    files: (f) => f.startsWith("lib/core/"),
    check: (t, f) => {
      if (under(t, "lib/tensor", "lib/core")) return true;
      // The documented back-edge: Tensor method bodies are sugar over ops (and backward()).
      const sugar = ["lib/ops/index.ts", "lib/autodiff/backward.ts", "lib/display/tensor.ts"];
      if (f === "lib/core/tensor.ts" && sugar.includes(t)) return true;
      return "lib/core imports only lib/tensor and lib/core (plus Tensor's method sugar)";
    },
  },
  {
    files: (f) => f === "lib/tree.ts",
    check: (t) => (under(t, "lib/tensor", "lib/core") ? true : "lib/tree.ts imports only lib/core and lib/tensor"),
  },
  {
    files: (f) => f.startsWith("lib/ops/"),
    check: (t) => (under(t, "lib/tensor", "lib/core", "lib/ops", "lib/backend") ? true : "lib/ops sits below autodiff, optim, nn and display"),
  },
  {
    // Op definitions are math: they reach the backend only through its seam, and no kernel module of lib/tensor.
    files: (f) => f.startsWith("lib/ops/"),
    check: (t) =>
      under(t, "lib/backend") && t !== "lib/backend/index.ts" ? "lib/ops reaches the backend only through lib/backend/index.ts"
        : under(t, "lib/tensor/elementwise.ts", "lib/tensor/layout.ts", "lib/tensor/reduce.ts")
          ? "lib/ops never calls kernels: the backend does"
          : true,
  },
  {
    files: (f) => f.startsWith("lib/autodiff/"),
    check: (t, f) =>
      under(t, "lib/tensor", "lib/core", "lib/ops", "lib/autodiff", "lib/tree.ts") ? true
        // The checkGrad report's display method delegates to its pure bundle builder.
        : f === "lib/autodiff/check_grad.ts" && t === "lib/display/check_grad.ts" ? true
          : "lib/autodiff sits below optim, nn and display",
  },
  {
    files: (f) => f.startsWith("lib/display/"),
    check: (t) =>
      under(t, "lib/ops") || (under(t, "lib/autodiff") && t !== "lib/autodiff/graph.ts")
        ? "lib/display uses tensors and graph data only, never ops or transforms"
        : true,
  },
  {
    // The kernel server knows nothing of what drives it: the gradlab command, the client, the runner and the report.
    files: (f) => f.startsWith("kernel/"),
    check: (t) => (under(t, "cli") ? "kernel/ (the server) never imports cli/ (the runner side)" : true),
  },
  {
    // The runner side talks to a kernel over the wire only; it may start one (the `kernel` command) but not reach in.
    files: (f) => f.startsWith("cli/"),
    check: (t) =>
      // send_queue.ts is the one ZeroMQ send discipline both sides need (zeromq.js rejects overlapping sends).
      under(t, "kernel/engine", "kernel/protocol", "kernel/operators", "kernel/interpreter.ts", "kernel/transport") && t !== "kernel/transport/send_queue.ts"
        ? "cli/ reaches the kernel only through the wire format, connection info, kernel_env, send_queue and kernel/main.ts"
        : true,
  },
  {
    files: (f) => f.startsWith("kernel/wire/"),
    check: (t) => (t === "node:crypto" || under(t, "kernel/wire") ? true : "kernel/wire imports node:crypto only"),
  },
  {
    files: (f) => f.startsWith("kernel/transport/"),
    check: (t) => (under(t, "lib") ? "kernel/transport never imports lib/" : true),
  },
  {
    files: (f) => f.startsWith("kernel/protocol/"),
    check: (t) =>
      under(t, "lib") ? "kernel/protocol never imports lib/"
        : under(t, "kernel/engine") ? "kernel/protocol reaches the engine only through kernel/interpreter.ts"
          : true,
  },
];

/** Spellings that mean an op file decides how numbers are computed instead of what they are. */
const BACKEND_INTERNALS: [RegExp, string][] = [
  [/\._data\b|\._value\b|\._withShape\b/, "tensor storage internals"],
  [/\blazyScalar\b|\bscalarOf\b/, "storage-less constants"],
  [/\ballocate\(|\bnew Tensor\(/, "allocating storage"],
  [/\blimits\b|Threshold|\bwasm|ElementwiseMin\b|MatmulFlops\b/, "size limits and kernel choices"],
  [/\b\w+Into\(|\bZIP_OPS\b|\bkernels\(/, "kernel calls"],
];

/** Lines of `source` (comments stripped) that use backend internals, as "line: what". */
function backendInternals(source: string): string[] {
  const found: string[] = [];
  source.split("\n").forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, "").replace(/^\s*\*.*$/, "").replace(/\/\*.*?\*\//g, "");
    for (const [pattern, what] of BACKEND_INTERNALS) if (pattern.test(code)) found.push(`${i + 1}: ${what}: ${line.trim()}`);
  });
  return found;
}

describe("op definitions are math only", () => {
  it("the check recognises each kind of backend internal", () => {
    const samples = ["if (x._data === null) return y;", "return lazyScalar(0, s, d);", "const out = allocate(d, n);",
      "if (n >= wasmElementwiseMin) {}", "expInto(x, out);", "return new Tensor(out, s, d);"];
    for (const sample of samples) expect(backendInternals(sample), sample).toHaveLength(1);
    expect(backendInternals("// a comment about _data and allocate(")).toEqual([]);
    expect(backendInternals("forward: ([x]) => backend().unary(\"exp\", x!),")).toEqual([]);
  });

  it("no file in lib/ops touches storage, constants, limits or kernels", () => {
    const offenders = sourceFiles("lib/ops").flatMap((f) =>
      backendInternals(readFileSync(join(ROOT, f), "utf8")).map((l) => `${f}:${l}`));
    expect(sourceFiles("lib/ops").length).toBeGreaterThan(5);
    expect(offenders).toEqual([]);
  });
});

describe("dependency direction", () => {
  const files = [...sourceFiles("lib"), ...sourceFiles("kernel"), ...sourceFiles("cli")];

  it("finds the source files and their imports", () => {
    expect(files).toContain("lib/index.ts");
    expect(files).toContain("cli/main.ts");
    expect(importsOf("cli/runner/gradlab_kernel.ts")).toContain("cli/client/index.ts");
    expect(importsOf("lib/core/tensor.ts")).toContain("lib/ops/index.ts");
  });

  it("every import follows the layer rules", () => {
    const violations: string[] = [];
    for (const file of files) {
      for (const target of importsOf(file)) {
        for (const rule of RULES) {
          if (!rule.files(file)) continue;
          const verdict = rule.check(target, file);
          if (verdict !== true) violations.push(`${file} -> ${target}: ${verdict}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it("kernel and cli modules take TypeScript's values from kernel/engine/typescript.ts (an ES import of it costs ~1 s)", () => {
    const valueImport = /^import\s+(?!type\b)[^;]*\bfrom\s+"typescript";/m;
    const offenders = files.filter((f) => /^(kernel|cli)\//.test(f) && valueImport.test(readFileSync(join(ROOT, f), "utf8")));
    expect(offenders).toEqual([]);
    expect(valueImport.test('import ts from "typescript";')).toBe(true);
    expect(valueImport.test('import type ts from "typescript";')).toBe(false);
  });

  it("the core never depends on packages (our core is written by us)", () => {
    const core = files.filter((f) => /^lib\/(tensor|core|ops|autodiff)\//.test(f) || f === "lib/tree.ts");
    const packages = core.flatMap((f) => importsOf(f).filter(external).map((t) => `${f} -> ${t}`));
    expect(packages).toEqual([]);
  });
});
