// The JupyterLab core extensions the test app is assembled from (a subset of @jupyterlab/metapackage's *-extension
// packages: enough to browse, open, run, save and reopen notebooks).
export const pluginModules = [
  import("@jupyterlab/application-extension"),
  import("@jupyterlab/apputils-extension"),
  import("@jupyterlab/services-extension"),
  import("@jupyterlab/codemirror-extension"),
  import("@jupyterlab/completer-extension"),
  import("@jupyterlab/docmanager-extension"),
  import("@jupyterlab/filebrowser-extension"),
  import("@jupyterlab/mainmenu-extension"),
  import("@jupyterlab/markedparser-extension"),
  import("@jupyterlab/notebook-extension"),
  import("@jupyterlab/rendermime-extension"),
  import("@jupyterlab/shortcuts-extension"),
  import("@jupyterlab/theme-light-extension"),
  import("@jupyterlab/translation-extension"),
  import("@jupyterlab/ui-components-extension"),
];

