// gradlab-plotly for the classic Notebook (6.x): maps the AMD module "plotly" to the plotly.js shipped beside this
// file, so the text/html fallback of gradlab figures (which asks require.js for "plotly") draws offline.
define(["require"], function (require) {
  "use strict";
  // plotly.min.js is UMD without an AMD define(): the shim takes window.Plotly as the module value.
  window.requirejs.config({
    // toUrl appends the notebook's ?v= cache buster, and a path with a query would not get its ".js" back.
    paths: { plotly: require.toUrl("./plotly.min.js").split("?")[0].replace(/\.js$/, "") },
    shim: { plotly: { exports: "Plotly" } },
  });
  return { load_ipython_extension: function () {} };
});
