// gradlab-plotly for the classic Notebook (6.x): loads the plotly.js shipped beside this file (it sets window.Plotly)
// and maps the AMD module "plotly" to it, so the text/html fallback of gradlab figures draws offline.
define(["require", "./plotly.min"], function (require) {
  "use strict";
  // plotly.min.js is UMD without an AMD define(): the shim takes window.Plotly as the module value.
  window.requirejs.config({
    // toUrl appends the notebook's ?v= cache buster, and a path with a query would not get its ".js" back.
    paths: { plotly: require.toUrl("./plotly.min.js").split("?")[0].replace(/\.js$/, "") },
    shim: { plotly: { exports: "Plotly" } },
  });
  // A saved notebook's outputs run their scripts before this extension loads: their request for "plotly" went to the
  // wrong URL, and require.js keeps that failure. Draw those figures here; later ones find window.Plotly themselves.
  document.querySelectorAll("div.gradlab-plot:not([data-drawn])").forEach(function (el) {
    if (typeof el.gradlabDraw === "function") el.gradlabDraw(window.Plotly);
  });
  return { load_ipython_extension: function () {} };
});
