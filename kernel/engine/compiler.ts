// The TypeScript side of the engine: one language service over virtual files. Each executed cell is a module
// `__gradlab_cell_N.ts` that exports every top-level name; `__gradlab_scope.d.ts` re-declares the newest owner of each
// name as a global, matching the runtime (where cell declarations are globalThis properties). So later cells see
// earlier values and types, may assign earlier `let`s, and may re-declare any name in their own module scope.
// Speed: TypeScript reuses the whole previous program (only a new checker is built) when the root file names stay the
// same and no changed file's imports change; otherwise it walks every file again (~12 ms with Node's types). So the
// next SLOTS_AHEAD cells' files are roots, and imported by the scope, before those cells arrive (empty modules,
// "slots"); a failed cell leaves its slot to the next one, and cells shadowed by later ones leave the program only when
// the slots run out. Then the new program is built at once, off the next cell's path (prepareNextCell).
// Cold start: Node's types are four fifths of the text the program parses (2.3 of 2.9 MB). The first program leaves
// them out, and a cell arriving before they load is checked without them when they cannot change its verdict (see
// compileWithoutNodeTypes); any other cell waits for them.
import type ts from "typescript";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { collectCellNames, type NameKind } from "./cell_names.js";
import { cellToScript } from "./cell_transform.js";
import { codeFrame } from "./code_frame.js";
import { createDocumentRegistry } from "./document_registry.js";
import { BUILTIN_MODULES, builtinModuleUrl, nodeTypesRoot } from "./paths.js";
import { PRELUDE_DTS } from "./prelude.js";
import { describeOptions, loadProjectOptions, parseOptionChanges } from "./project_options.js";
import {
  ARITHMETIC_DIAGNOSTIC_CODES, mayUseTensorOperators, readOperatorSwitch, rewriteTensorOperators, type OperatorAnalysis,
} from "../operators/rewrite.js";
import { CellPositions, importOpsTransformer } from "../operators/cell_operators.js";
import { mark } from "../trace.js";

export interface CellDiagnostic {
  line: number;
  column: number;
  code: number;
  message: string;
  syntax: boolean;
  frame: string;
}

/** notices: things the user should know once, whatever the cell (a tsconfig.json that was ignored). */
export type CompileResult =
  | { ok: true; js: string; sourceMap: string; fileName: string; cellUrl: string; notices?: string[] }
  | { ok: false; diagnostics: CellDiagnostic[]; notices?: string[] };

/** A name cells defined, for %who / %whos. */
export interface ScopeName { name: string; kind: string; type: string; value: boolean }

interface VirtualFile { version: number; text: string }
interface ScopeEntry { cell: number; kind: NameKind }

const CELL_PREFIX = "__gradlab_cell_";
const EMPTY_MODULE = "export {};\n";
const SLOTS_AHEAD = 16;
/** TS7016 "Could not find a declaration file for module": an untyped npm package is imported as `any`, as in JS. */
const FORGIVEN = new Set([7016]);

export class CellCompiler {
  readonly service: ts.LanguageService;
  private readonly files = new Map<string, VirtualFile>();
  private readonly diskSnapshots = new Map<string, ts.IScriptSnapshot | undefined>();
  /** Committed cells still in the program (some may be shadowed, awaiting the next refill). */
  private readonly cells = new Set<number>();
  /** Ids of the next cells, ascending; their (empty) files are already roots. */
  private slots: number[] = [];
  private readonly scope = new Map<string, ScopeEntry>();
  private options: ts.CompilerOptions;
  /** The options without Node's types; used until loadNodeTypes. */
  private coreOptions: ts.CompilerOptions;
  /** The options the notebook chose (defaults, tsconfig.json, %tsconfig); the rest are the engine's. */
  private userOptions: ts.CompilerOptions;
  readonly configFile: string | undefined;
  private notices: string[];
  /** Each committed cell's label (In[n]) and text as the user wrote it, for `name??`. */
  readonly cellSources = new Map<string, { label: string; code: string }>();
  /** The last cell checked, while what it saw stands (see compile). */
  private lastCompile?: { key: string; result: CompileResult };
  /** How many names the cell just committed declared. */
  private lastDeclared = 0;
  private nodeTypesLoaded: boolean;
  /** Folders of the declarations a cell may reach while Node's types are out: TypeScript's lib, gradlab, the tslab shim. */
  private readonly coreFolders: string[];
  private resolutionCache: ts.ModuleResolutionCache;
  private typeReferenceCache: ts.TypeReferenceDirectiveResolutionCache;
  private nextId = 1;
  /** Bumped on every change to the virtual files; while it stands, the language service skips re-checking ~250 files. */
  private projectVersion = 0;
  /** Bumped on every change but the scratch edit file's: what a cell being edited sees around it. */
  private surroundingsVersion = 0;
  /** Set when the root files changed, so the next program walks every file again (see prepareNextCell). */
  private rootsChanged = false;
  /** Tensor operators for cells without a magic comment; `// @gradlab-operators: off-all` switches it. */
  private operatorsByDefault = true;
  readonly preludeFile: string;
  readonly scopeFile: string;
  readonly editFile: string;

  constructor(readonly ts: typeof import("typescript"), readonly cwd: string) {
    const typeRoot = nodeTypesRoot();
    const project = loadProjectOptions(ts, cwd);
    this.userOptions = project.options;
    this.configFile = project.configFile;
    this.notices = project.notices;
    this.options = {
      ...this.userOptions,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      types: typeRoot ? ["node"] : [],
      typeRoots: typeRoot ? [typeRoot] : [],
      esModuleInterop: true,
      allowSyntheticDefaultImports: true,
      skipLibCheck: true,
      resolveJsonModule: true,
      sourceMap: true,
      noEmitOnError: false,
      // Without a `@typescript/lib-*` package to find, every new program would search node_modules for one again.
      libReplacement: false,
    };
    this.coreOptions = { ...this.options, types: [] };
    this.nodeTypesLoaded = !typeRoot;
    const folderOf = (file: string) => `${dirname(file).replace(/\\/g, "/")}/`;
    this.coreFolders = [ts.getDefaultLibFilePath(this.options), ...Object.values(BUILTIN_MODULES).map((m) => m.dts)].map(folderOf);
    this.preludeFile = join(cwd, "__gradlab_prelude.d.ts");
    this.scopeFile = join(cwd, "__gradlab_scope.d.ts");
    this.editFile = join(cwd, "__gradlab_edit.ts");
    this.setFile(this.preludeFile, PRELUDE_DTS);
    this.setFile(this.editFile, EMPTY_MODULE);
    this.refillSlots();
    this.resolutionCache = ts.createModuleResolutionCache(cwd, (f) => f, this.options);
    this.typeReferenceCache = ts.createTypeReferenceDirectiveResolutionCache(cwd, (f) => f, this.options, this.resolutionCache.getPackageJsonInfoCache());
    this.service = ts.createLanguageService(this.host(), createDocumentRegistry(ts, cwd));
  }

  /** Parse the default libraries and the library's declarations now, so the first cell is fast; see loadNodeTypes. */
  warmUp(): void {
    this.setFile(this.editFile, `import type * as __warm from "gradlab";\nconst __x: number = 1 + 1;\nexport {};\n`);
    this.service.getSemanticDiagnostics(this.editFile);
  }

  /** Adds Node's types to the program and builds its checker; a no-op once done. */
  loadNodeTypes(): void {
    if (this.nodeTypesLoaded) return;
    this.nodeTypesLoaded = true;
    this.projectVersion++;
    this.surroundingsVersion++;
    this.warmUp();
  }

  /** Type-check a cell; on success emit it as a runnable script and make its declarations visible to later cells. */
  compile(code: string, label = "cell"): CompileResult {
    const known = this.lastCompile?.key === this.compileKey(code) ? this.lastCompile.result : undefined;
    this.lastDeclared = 0;
    const result = known ?? this.compileUnlabelled(code);
    // Nothing any cell can see changed since this text was checked, and it declared nothing: the same verdict and
    // the same script stand (re-running a cell, as tslab does for unchanged text).
    if (!known && (!result.ok || this.lastDeclared === 0)) this.lastCompile = { key: this.compileKey(code), result };
    if (result.ok) this.cellSources.set(result.fileName, { label, code });
    if (this.notices.length === 0) return result;
    const notices = this.notices;
    this.notices = [];
    return { ...result, notices };
  }

  private compileKey(code: string): string {
    return `${this.surroundingsVersion}\u0000${this.operatorsByDefault}\u0000${code}`;
  }

  private compileUnlabelled(code: string): CompileResult {
    if (!this.nodeTypesLoaded) {
      const early = this.compileWithoutNodeTypes(code);
      if (early) return early;
      this.loadNodeTypes();
    }
    return this.compileChecked(code, false)!;
  }

  /** The effective compiler options, after applying `name=value` changes (for this session) when given. */
  compilerOptions(changes: string): { text: string; errors: string[] } {
    const t = this.ts;
    if (changes.trim() !== "") {
      const { options, errors } = parseOptionChanges(t, changes);
      if (errors.length > 0) return { text: "", errors };
      this.setUserOptions({ ...this.userOptions, ...options });
    }
    return { text: describeOptions(t, this.userOptions, this.configFile), errors: [] };
  }

  private setUserOptions(userOptions: ts.CompilerOptions): void {
    const t = this.ts;
    this.userOptions = userOptions;
    this.options = { ...this.options, ...userOptions };
    this.coreOptions = { ...this.options, types: [] };
    // paths and baseUrl change where modules resolve: start the caches again.
    this.resolutionCache = t.createModuleResolutionCache(this.cwd, (f) => f, this.options);
    this.typeReferenceCache = t.createTypeReferenceDirectiveResolutionCache(this.cwd, (f) => f, this.options, this.resolutionCache.getPackageJsonInfoCache());
    this.projectVersion++;
    this.surroundingsVersion++;
  }

  /** The names cells defined, with what the checker knows of each. */
  scopeNames(): ScopeName[] {
    const t = this.ts;
    const program = this.service.getProgram()!;
    const checker = program.getTypeChecker();
    const out: ScopeName[] = [];
    for (const [name, { cell }] of this.scope) {
      const file = program.getSourceFile(this.cellFile(cell));
      const moduleSymbol = file && checker.getSymbolAtLocation(file);
      let symbol = moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((s) => s.name === name);
      if (symbol && symbol.flags & t.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      if (!symbol) continue;
      const f = symbol.flags;
      const value = (f & t.SymbolFlags.Value) !== 0;
      const kind = f & t.SymbolFlags.Function ? "function" : f & t.SymbolFlags.Class ? "class" : f & t.SymbolFlags.Enum ? "enum"
        : f & t.SymbolFlags.Variable ? "variable" : f & t.SymbolFlags.ValueModule ? "module" : f & t.SymbolFlags.Interface ? "interface"
          : f & t.SymbolFlags.TypeAlias ? "type" : "name";
      const type = value ? checker.typeToString(checker.getTypeOfSymbol(symbol), undefined, t.TypeFormatFlags.NoTruncation) : "";
      out.push({ name, kind, type, value });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Before Node's types have loaded, a cell is checked without them, and the result stands only when they could not
   * change it: no diagnostic at all (a missing global such as `console` is one); no import beyond gradlab and tslab
   * (any other module, an npm package's declarations or a local .ts file, may use Node's globals, which would resolve
   * to `any` without them, silently, in a file whose errors are not the cell's); and no `declare` (which could clash
   * with Node's globals). gradlab's own declarations need nothing of Node's (first_cell.test.ts checks them). Node's
   * types add globals and interface members a cell that found no fault did not use, so its verdict stands
   * (first_cell.test.ts compares both paths).
   */
  private compileWithoutNodeTypes(code: string): CompileResult | undefined {
    if (/\bdeclare\b/.test(code)) return undefined;
    return this.compileChecked(code, true);
  }

  /** With provisional set, undefined (and nothing committed) when the check found anything at all. */
  private compileChecked(code: string, provisional: boolean): CompileResult | undefined {
    const t = this.ts;
    const id = this.slots[0]!;
    const fileName = this.cellFile(id);
    const names = collectCellNames(t, t.createSourceFile(fileName, code, t.ScriptTarget.ES2022, false, t.ScriptKind.TS));
    const toExport = [...names.declared.keys()].filter((n) => !names.exported.has(n));
    const trailer = `\n;export { ${toExport.join(", ")} };\n`;
    const operators = this.rewriteOperators(code, fileName, trailer);
    const positions = operators && operators.rewrites.length > 0 ? new CellPositions(operators, code) : undefined;
    if (!operators) this.setFile(fileName, code + trailer);
    mark("names collected");
    const program = this.service.getProgram()!;
    mark("program built");
    const file = program.getSourceFile(fileName)!;
    const syntax = this.service.getSyntacticDiagnostics(fileName);
    const errors = syntax.length > 0 ? syntax : this.semanticErrors(file);
    mark("checked");
    const misuses = operators?.diagnostics ?? [];
    if (provisional && (errors.length > 0 || misuses.length > 0 || !program.getSourceFiles().every((f) => this.isCoreFile(f.fileName)))) {
      this.setFile(fileName, EMPTY_MODULE);
      return undefined;
    }
    if (errors.length > 0 || misuses.length > 0) {
      this.setFile(fileName, EMPTY_MODULE);
      const toOriginal = (offset: number) => positions?.toOriginalOffset(offset) ?? offset;
      const inMisuse = (offset: number) => misuses.some((m) => offset >= m.start && offset < m.start + m.length);
      const described = errors
        .map((d) => ({ d, start: toOriginal(d.start ?? 0), end: toOriginal((d.start ?? 0) + (d.length ?? 0)) }))
        // A misused tensor operator gets one clear message below instead of TypeScript's arithmetic complaints.
        .filter(({ d, start }) => !(ARITHMETIC_DIAGNOSTIC_CODES.has(d.code) && inMisuse(start)))
        .map(({ d, start, end }) => this.describe({ ...d, start, length: Math.max(1, end - start) }, code, syntax.length > 0));
      const operatorErrors = misuses.map((m) =>
        this.describe({ category: this.ts.DiagnosticCategory.Error, code: 2365, file: undefined, start: m.start, length: m.length, messageText: m.message }, code, false));
      return { ok: false, diagnostics: [...operatorErrors, ...described].sort((a, b) => a.line - b.line || a.column - b.column) };
    }
    const cellUrl = pathToFileURL(fileName).href;
    let js = "";
    let sourceMap = "";
    const transformers: ts.CustomTransformers = {
      before: positions ? [importOpsTransformer()] : [],
      after: [cellToScript(t, {
        resolveSpecifier: (s) => builtinModuleUrl(s) ?? this.pathsTarget(s, fileName) ?? s,
        isScopeModule: (s) => s.startsWith(`./${CELL_PREFIX}`),
        cellUrl,
      })],
    };
    program.emit(file, (name, text) => {
      if (name.endsWith(".js")) js = text.replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n");
      else if (name.endsWith(".map")) sourceMap = text;
    }, undefined, false, transformers);
    mark("emitted");
    this.slots.shift();
    this.cells.add(id);
    for (const [name, kind] of names.declared) this.scope.set(name, { cell: id, kind });
    this.lastDeclared = names.declared.size;
    if (this.slots.length === 0) this.refillSlots();
    else this.writeScope();
    if (positions) sourceMap = positions.remapSourceMap(sourceMap);
    return { ok: true, js, sourceMap, fileName, cellUrl };
  }

  /**
   * A specifier that tsconfig.json's `paths` maps to a local file must reach that file at run time too (Node knows
   * nothing of `paths`): the JavaScript beside the declaration or source the checker found.
   */
  private pathsTarget(specifier: string, containingFile: string): string | undefined {
    if (!this.options.paths || specifier.startsWith(".") || specifier.startsWith("/")) return undefined;
    const resolved = this.resolveModule(specifier, containingFile, undefined, this.options).resolvedModule;
    if (!resolved || resolved.isExternalLibraryImport) return undefined;
    const file = resolved.resolvedFileName;
    const candidates = /\.d\.[cm]?ts$|\.[cm]?tsx?$/.test(file)
      ? [".js", ".mjs", ".cjs"].map((ext) => file.replace(/(\.d)?\.[cm]?tsx?$/, ext))
      : [file];
    const runnable = candidates.find((f) => this.ts.sys.fileExists(f));
    return runnable ? pathToFileURL(runnable).href : undefined;
  }

  /** After the slots were refilled (new root files), builds the program the next cells will reuse. */
  prepareNextCell(): void {
    this.loadNodeTypes();
    if (!this.rootsChanged) return;
    this.rootsChanged = false;
    this.service.getProgram();
  }

  /** A file the program has before Node's types load, whatever the cell imports: ours, TypeScript's lib, gradlab's. */
  private isCoreFile(fileName: string): boolean {
    const path = fileName.replace(/\\/g, "/");
    return this.files.has(fileName) || this.coreFolders.some((folder) => path.startsWith(folder));
  }

  /** With tensor operators on for this cell, leaves the rewritten cell in the service and returns the analysis. */
  private rewriteOperators(code: string, fileName: string, trailer: string): OperatorAnalysis | undefined {
    const choice = readOperatorSwitch(code, this.operatorsByDefault);
    if (choice.sessionDefault !== undefined) this.operatorsByDefault = choice.sessionDefault;
    if (!choice.thisCell || !mayUseTensorOperators(code)) return undefined;
    return rewriteTensorOperators(code, (text) => {
      this.setFile(fileName, text + trailer);
      const program = this.service.getProgram()!;
      return { program, sourceFile: program.getSourceFile(fileName)!, checker: program.getTypeChecker() };
    });
  }

  /** The operator rewrite of a cell being edited (completion, hover), in the scratch module; positions map back. */
  withRewrittenEditFile<T>(
    code: string,
    fn: (fileName: string, toRewritten: (offset: number, bias: "before" | "after") => number, analysis?: OperatorAnalysis) => T,
  ): T {
    this.loadNodeTypes();
    const choice = readOperatorSwitch(code, this.operatorsByDefault);
    if (!choice.thisCell || !mayUseTensorOperators(code)) return this.withEditFile(code, (file) => fn(file, (offset) => offset));
    const analysis = rewriteTensorOperators(code, (text) => {
      this.setFile(this.editFile, `${text}\n;export {};\n`);
      const program = this.service.getProgram()!;
      return { program, sourceFile: program.getSourceFile(this.editFile)!, checker: program.getTypeChecker() };
    });
    return fn(this.editFile, (offset, bias) => analysis.map.toRewritten(offset, bias), analysis);
  }

  /** Forget every earlier cell (the runtime lost its globals, or %reset); returns the names that were defined. */
  reset(): string[] {
    const names = [...this.scope.keys()];
    this.scope.clear();
    this.refillSlots();
    return names;
  }

  /**
   * Changes whenever anything a cell being edited can see changes (earlier cells, Node's types), never for edits to
   * the cell itself: language-service answers about the same text stay valid while it stands.
   */
  get contextVersion(): number {
    return this.surroundingsVersion;
  }

  /** Run fn against a scratch module holding `code` (completion, hover); positions in it equal positions in code. */
  withEditFile<T>(code: string, fn: (fileName: string) => T): T {
    this.loadNodeTypes();
    this.setFile(this.editFile, `${code}\n;export {};\n`);
    return fn(this.editFile);
  }

  private semanticErrors(file: ts.SourceFile): ts.Diagnostic[] {
    const diagnostics = this.service.getSemanticDiagnostics(file.fileName);
    return diagnostics.filter((d) => d.category === this.ts.DiagnosticCategory.Error && !FORGIVEN.has(d.code));
  }

  private describe(d: ts.Diagnostic, code: string, syntax: boolean): CellDiagnostic {
    const t = this.ts;
    const start = Math.min(d.start ?? 0, code.length);
    const file = t.createSourceFile("cell.ts", code, t.ScriptTarget.ES2022);
    const pos = file.getLineAndCharacterOfPosition(start);
    const line = pos.line + 1;
    const column = pos.character + 1;
    return {
      line, column, code: d.code, syntax,
      message: t.flattenDiagnosticMessageText(d.messageText, "\n"),
      frame: codeFrame(code, line, column, d.length ?? 1),
    };
  }

  /** Drops the cells no name points to any more and makes new slots: the root files change, once per SLOTS_AHEAD cells. */
  private refillSlots(): void {
    const owners = new Set([...this.scope.values()].map((e) => e.cell));
    for (const cell of this.cells) {
      if (owners.has(cell)) continue;
      this.cells.delete(cell);
      this.files.delete(this.cellFile(cell));
      this.cellSources.delete(this.cellFile(cell));
      this.projectVersion++;
      this.surroundingsVersion++;
    }
    this.rootsChanged = true;
    while (this.slots.length < SLOTS_AHEAD) {
      const id = this.nextId++;
      this.slots.push(id);
      this.setFile(this.cellFile(id), EMPTY_MODULE);
    }
    this.writeScope();
  }

  /** The scope imports every cell file in the program, so committing a cell changes its text but not its imports. */
  private writeScope(): void {
    const imports = [...this.cells, ...this.slots].map((c) => `import * as __c${c} from "./${CELL_PREFIX}${c}";`);
    // `export import` inside `declare global` is reported by TypeScript (TS2667) but binds every meaning of the name
    // (value, type, namespace); the report lands in this file only, which is never shown.
    const decls = [...this.scope].map(([name, { cell, kind }]) =>
      kind === "var" ? `  var ${name}: typeof __c${cell}.${name};` : `  export import ${name} = __c${cell}.${name};`);
    this.setFile(this.scopeFile, `${imports.join("\n")}\ndeclare global {\n${decls.join("\n")}\n}\nexport {};\n`);
  }

  private cellFile(id: number): string {
    return join(this.cwd, `${CELL_PREFIX}${id}.ts`);
  }

  private setFile(fileName: string, text: string): void {
    const old = this.files.get(fileName);
    if (old && old.text === text) return;
    this.files.set(fileName, { version: (old?.version ?? 0) + 1, text });
    this.projectVersion++;
    if (fileName !== this.editFile) this.surroundingsVersion++;
  }

  private rootNames(): string[] {
    const cells = [...this.cells, ...this.slots].map((id) => this.cellFile(id));
    return [this.preludeFile, this.scopeFile, ...cells, this.editFile];
  }

  /** getModuleResolutionCache is read by the language service though its public type omits it. */
  private host(): ts.LanguageServiceHost & { getModuleResolutionCache(): ts.ModuleResolutionCache } {
    const t = this.ts;
    const sys = t.sys;
    return {
      getProjectVersion: () => String(this.projectVersion),
      getScriptFileNames: () => this.rootNames(),
      getScriptVersion: (f) => String(this.files.get(f)?.version ?? 0),
      getScriptSnapshot: (f) => {
        const file = this.files.get(f);
        if (file) return t.ScriptSnapshot.fromString(file.text);
        if (!this.diskSnapshots.has(f)) {
          const text = sys.readFile(f);
          this.diskSnapshots.set(f, text === undefined ? undefined : t.ScriptSnapshot.fromString(text));
        }
        return this.diskSnapshots.get(f);
      },
      getCurrentDirectory: () => this.cwd,
      getCompilationSettings: () => (this.nodeTypesLoaded ? this.options : this.coreOptions),
      getDefaultLibFileName: (o) => t.getDefaultLibFilePath(o),
      fileExists: (f) => this.files.has(f) || sys.fileExists(f),
      readFile: (f, enc) => this.files.get(f)?.text ?? sys.readFile(f, enc),
      directoryExists: (d) => sys.directoryExists(d),
      getDirectories: (d) => sys.getDirectories(d),
      readDirectory: (...args) => sys.readDirectory(...args),
      realpath: sys.realpath ? (p) => sys.realpath!(p) : undefined,
      useCaseSensitiveFileNames: () => sys.useCaseSensitiveFileNames,
      resolveModuleNameLiterals: (literals, containingFile, redirected, options) =>
        literals.map((lit) => this.resolveModule(lit.text, containingFile, redirected, options)),
      resolveTypeReferenceDirectiveReferences: (references, containingFile, redirected, options, containingSourceFile) =>
        references.map((ref) => {
          const name = typeof ref === "string" ? ref : ref.fileName.toLowerCase();
          const mode = typeof ref === "string" ? undefined : t.getModeForFileReference(ref, containingSourceFile?.impliedNodeFormat);
          return t.resolveTypeReferenceDirective(name, containingFile, options, this.moduleHost, redirected, this.typeReferenceCache, mode);
        }),
      // Shared with the program, so the package.json files behind each file's module format are read once per session.
      getModuleResolutionCache: () => this.resolutionCache,
    };
  }

  private resolveModule(
    name: string, containingFile: string, redirected: ts.ResolvedProjectReference | undefined, options: ts.CompilerOptions,
  ): ts.ResolvedModuleWithFailedLookupLocations {
    const builtin = BUILTIN_MODULES[name];
    if (builtin) {
      return { resolvedModule: { resolvedFileName: builtin.dts, extension: this.ts.Extension.Dts, isExternalLibraryImport: true } };
    }
    return this.ts.resolveModuleName(name, containingFile, options, this.moduleHost, this.resolutionCache, redirected);
  }

  private readonly moduleHost: ts.ModuleResolutionHost = {
    fileExists: (f) => this.files.has(f) || this.ts.sys.fileExists(f),
    readFile: (f) => this.files.get(f)?.text ?? this.ts.sys.readFile(f),
    directoryExists: (d) => this.ts.sys.directoryExists(d),
    realpath: (p) => this.ts.sys.realpath?.(p) ?? p,
  };
}
