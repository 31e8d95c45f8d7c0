// First module of the bundle: chunks (and the shared modules handed to extensions) load from the server's static URL,
// which only the page config knows, so it is read here by hand before any package is imported.
const el = document.getElementById("jupyter-config-data");
const config = el ? JSON.parse(el.textContent || "{}") : {};
// eslint-disable-next-line no-undef
__webpack_public_path__ = `${config.fullStaticUrl ?? ""}/`;
