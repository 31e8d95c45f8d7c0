// Loads every prebuilt (federated) extension the server lists before the application code is imported, so webpack's
// share scope holds all providers when the first shared module is resolved; then starts the application.
const config = JSON.parse(document.getElementById("jupyter-config-data")?.textContent || "{}");

function loadScript(url) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.onload = resolve;
    script.onerror = () => reject(new Error(`could not load ${url}`));
    script.async = true;
    script.src = url;
    document.head.appendChild(script);
  });
}

async function initContainer(extension) {
  await loadScript(`${config.fullLabextensionsUrl}/${extension.name}/${extension.load}`);
  // eslint-disable-next-line no-undef
  await __webpack_init_sharing__("default");
  const container = window._JUPYTERLAB?.[extension.name];
  if (!container) throw new Error(`${extension.name}: its script registered no window._JUPYTERLAB entry`);
  // eslint-disable-next-line no-undef
  await container.init(__webpack_share_scopes__.default);
}

void (async () => {
  const extensions = config.federated_extensions ?? [];
  const results = await Promise.allSettled(extensions.map(initContainer));
  // One broken extension must not keep the application from starting, as in JupyterLab.
  for (const r of results) if (r.status === "rejected") console.error(r.reason);
  const { main } = await import("./index.js");
  await main();
})();
