// Types for build.mjs (the lab app builder runs as plain Node ESM so it needs no compile step).
/** Builds (or reuses, when its inputs are unchanged) the JupyterLab test app in `outDir`; resolves to `outDir`. */
export function buildLabApp(outDir: string, options?: { mode?: "development" | "production" }): Promise<string>;
