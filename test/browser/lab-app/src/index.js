// The application: core plugins from the package.json extension lists (see extensions.js, generated at build time)
// plus the prebuilt extensions' plugins and mime renderers, honouring the page config's disabled list.
import { PageConfig } from "@jupyterlab/coreutils";
import { PluginRegistry } from "@lumino/coreutils";
import { extensions, mimeExtensions } from "gradlab-lab-host/extensions";
import "gradlab-lab-host/style";

/** The plugins a module exports (default export or CommonJS exports; one plugin or a list), minus disabled ones. */
function enabledPlugins(mod) {
  const exported = Object.prototype.hasOwnProperty.call(mod, "__esModule") ? mod.default : mod;
  const plugins = Array.isArray(exported) ? exported : [exported];
  return plugins.filter((plugin) => !PageConfig.Extension.isDisabled(plugin.id));
}

async function federatedModule(name, module) {
  const factory = await window._JUPYTERLAB[name].get(module);
  return factory();
}

/** Resolves every module, logging (not throwing) the ones that fail: a broken extension leaves the rest usable. */
async function settledPlugins(loaders) {
  const results = await Promise.allSettled(loaders.map((load) => load()));
  const plugins = [];
  for (const r of results) {
    if (r.status === "fulfilled") plugins.push(...enabledPlugins(r.value));
    else console.error(r.reason);
  }
  return plugins;
}

export async function main() {
  const { JupyterLab } = await import("@jupyterlab/application");
  const { IConnectionStatus, IServiceManager } = await import("@jupyterlab/services");
  const federated = JSON.parse(PageConfig.getOption("federated_extensions") || "[]");
  // A prebuilt extension replaces a core package of the same name.
  const prebuilt = new Set(federated.map((e) => e.name));
  const core = (list) => Object.entries(list).filter(([name]) => !prebuilt.has(name)).map(([, load]) => load);
  const fromServer = (key) =>
    federated.filter((e) => e[key]).map((e) => () => federatedModule(e.name, e[key]));

  const mime = await settledPlugins([...core(mimeExtensions), ...fromServer("mimeExtension")]);
  const plugins = await settledPlugins([...core(extensions), ...fromServer("extension")]);
  const styles = federated.filter((e) => e.style && !PageConfig.Extension.isDisabled(e.name));
  for (const r of await Promise.allSettled(styles.map((e) => federatedModule(e.name, e.style)))) {
    if (r.status === "rejected") console.error(r.reason);
  }

  // The service manager and connection status come from plugins (services-extension) when one provides them.
  const pluginRegistry = new PluginRegistry();
  pluginRegistry.registerPlugins(plugins);
  const serviceManager = await pluginRegistry.resolveOptionalService(IServiceManager);
  const connectionStatus = await pluginRegistry.resolveOptionalService(IConnectionStatus);
  const lab = new JupyterLab({ pluginRegistry, serviceManager, connectionStatus, mimeExtensions: mime });
  await lab.start({ bubblingKeydown: true });
  if (PageConfig.getOption("exposeAppInBrowser").toLowerCase() === "true") window.jupyterapp = lab;
}
