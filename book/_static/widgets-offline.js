/* Loaded on pages with saved ipywidgets state, after require.js and before the widget manager
 * (embed-amd.js), all three served from this site's _static/ (see _config.yml: nb_ipywidgets_js).
 *
 * 1. The manager's webpack bundle finds its font files relative to the AMD module's URL, which
 *    RequireJS resolves against the page; point that module path at _static/offline/widgets/.
 * 2. @jupyter-widgets typesets labels with the MathJax 2 API (MathJax.Hub.Queue); the book runs
 *    MathJax 3. Provide a small Hub.Queue that forwards to MathJax 3's typesetPromise.
 */
(function () {
  "use strict";
  var root = new URL(document.documentElement.dataset.content_root || "./", window.location.href);
  if (window.require && window.require.config) {
    window.require.config({
      paths: { "@jupyter-widgets/html-manager/dist": new URL("_static/offline/widgets", root).href },
    });
  }

  function typeset(elements) {
    var mj = window.MathJax;
    var ready = mj && mj.startup && mj.startup.promise ? mj.startup.promise : Promise.resolve();
    return ready.then(function () {
      if (window.MathJax && window.MathJax.typesetPromise) {
        return window.MathJax.typesetPromise(elements);
      }
    }).catch(function (err) { console.warn("MathJax typesetting of a widget failed", err); });
  }

  var hub = {
    Queue: function () {
      for (var i = 0; i < arguments.length; i++) {
        var job = arguments[i];
        if (Array.isArray(job) && job[0] === "Typeset") {
          typeset(job[2] ? [job[2]] : undefined);
        } else if (typeof job === "function") {
          typeset().then(job);
        }
      }
    },
  };

  // Before MathJax 3 loads (it is deferred) window.MathJax is Sphinx's configuration object; MathJax
  // moves that to MathJax.config, so install the Hub both now and once MathJax is ready.
  var mj = (window.MathJax = window.MathJax || {});
  var startup = (mj.startup = mj.startup || {});
  var userReady = startup.ready;
  startup.ready = function () {
    if (userReady) { userReady(); } else { window.MathJax.startup.defaultReady(); }
    window.MathJax.Hub = window.MathJax.Hub || hub;
  };
  if (!mj.Hub) { mj.Hub = hub; }
})();
