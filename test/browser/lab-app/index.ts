// Entry of the JupyterLab 4 test app: starts JupyterLab with the core plugins and loads federated (prebuilt)
// extensions listed in the page config, the same protocol JupyterLab's own build uses (window._JUPYTERLAB[name]).
import { JupyterLab } from "@jupyterlab/application";
import { PageConfig, URLExt } from "@jupyterlab/coreutils";
import * as luminoWidgets from "@lumino/widgets";
import "./styles.js";
import { pluginModules } from "./plugins.js";

declare const LUMINO_WIDGETS_VERSION: string;

/** Plugins left out: the news pop-up, and ones whose required services come from extensions this app does not bundle. */
const LEFT_OUT = new Set([
  "@jupyterlab/apputils-extension:announcements",
  "@jupyterlab/apputils-extension:kernel-status",
  "@jupyterlab/apputils-extension:running-sessions-status",
  "@jupyterlab/notebook-extension:search",
  "@jupyterlab/notebook-extension:toc",
  "@jupyterlab/notebook-extension:language-server",
  "@jupyterlab/notebook-extension:update-raw-mimetype",
  "@jupyterlab/notebook-extension:kernel-status",
]);

interface FederatedExtension {
  name: string;
  load: string;
  extension?: string;
  mimeExtension?: string;
  style?: string;
}

interface Container {
  init(scope: unknown): Promise<void> | void;
  get(module: string): Promise<() => unknown>;
}

type Win = Window & { _JUPYTERLAB?: Record<string, Container>; gradlabLab?: JupyterLab; gradlabLabErrors?: string[] };
const win = window as Win;
win.gradlabLabErrors = [];

// What the page shares with prebuilt extensions (webpack share-scope layout: name -> version -> {get, from, eager}).
const shareScope = {
  "@lumino/widgets": {
    [LUMINO_WIDGETS_VERSION]: { get: () => Promise.resolve(() => luminoWidgets), from: "gradlab-test-lab", eager: true },
  },
};

function loadScript(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`failed to load ${url}`));
    document.head.appendChild(script);
  });
}

async function loadFederated(): Promise<{ plugins: unknown[]; mimeExtensions: unknown[] }> {
  const list = JSON.parse(PageConfig.getOption("federated_extensions") || "[]") as FederatedExtension[];
  const base = PageConfig.getOption("fullLabextensionsUrl");
  const plugins: unknown[] = [];
  const mimeExtensions: unknown[] = [];
  for (const ext of list) {
    try {
      await loadScript(URLExt.join(base, ext.name, ext.load));
      const container = win._JUPYTERLAB?.[ext.name];
      if (!container) throw new Error(`${ext.name} did not register window._JUPYTERLAB[${ext.name}]`);
      await container.init(shareScope);
      const take = async (module: string, into: unknown[]): Promise<void> => {
        const mod = (await container.get(module))() as { default?: unknown; __esModule?: boolean };
        const exported = mod.__esModule ? mod.default : mod;
        into.push(...(Array.isArray(exported) ? exported : [exported]));
      };
      if (ext.extension) await take(ext.extension, plugins);
      if (ext.mimeExtension) await take(ext.mimeExtension, mimeExtensions);
    } catch (error) {
      console.error(error);
      win.gradlabLabErrors!.push(String(error));
    }
  }
  return { plugins, mimeExtensions };
}

async function main(): Promise<void> {
  const federated = await loadFederated();
  const lab = new JupyterLab({ mimeExtensions: federated.mimeExtensions as never[] });
  // registerPluginModule looks for an own __esModule flag that esbuild's namespace objects lack: hand it `default`.
  for (const mod of await Promise.all(pluginModules)) {
    const exported = (mod as { default: { id: string } | { id: string }[] }).default;
    const plugins = (Array.isArray(exported) ? exported : [exported]).filter((p) => !LEFT_OUT.has(p.id));
    lab.registerPluginModule(plugins as never);
  }
  for (const plugin of federated.plugins) lab.registerPluginModule(plugin as never);
  await lab.start({ ignorePlugins: [], bubblingKeydown: true });
  await lab.restored;
  win.gradlabLab = lab;
  document.body.dataset.gradlabLab = "ready";
}

main().catch((error: unknown) => {
  console.error(error);
  win.gradlabLabErrors!.push(String(error));
});
