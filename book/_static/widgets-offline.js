/* Loaded on pages with saved ipywidgets state, after require.js and before the widget manager
 * (embed-amd.js), all three served from this site's _static/ (see _config.yml: nb_ipywidgets_js).
 *
 * 1. The manager's webpack bundle finds its font files relative to the AMD module's URL, which
 *    RequireJS resolves against the page; point that module path at _static/offline/widgets/.
 * 2. @jupyter-widgets typesets labels with the MathJax 2 API (MathJax.Hub.Queue); the book runs
 *    MathJax 3. Provide a small Hub.Queue that forwards to MathJax 3's typesetPromise.
 * 3. Accessibility (WCAG 2.1: text alternatives, accessible names), added as the manager draws the
 *    widgets: a slider handle (role="slider") is named after its widget's description (and a label's
 *    tooltip "null", the manager's rendering of "no tooltip", is dropped); an image the
 *    widget shows gets alt text naming the control values it was drawn for and the static figure
 *    after the widget (whose alt text is that figure's caption, see book/_ext/accessible_book.py).
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

  // 3. Accessibility of the rendered widgets.
  function describe(widget) {
    var label = widget.querySelector(":scope > .widget-label");
    if (!label) { return ""; }
    // Not the label's title: the manager writes the model's tooltip there, "null" when there is none.
    return (label.textContent || "").replace(/\s+/g, " ").trim();
  }

  function controlValue(widget) {
    var readout = widget.querySelector(".widget-readout");
    if (readout) { return readout.textContent.trim(); }
    var select = widget.querySelector("select");
    if (select) {
      return Array.prototype.filter.call(select.options, function (o) { return o.selected; })
        .map(function (o) { return o.textContent.trim(); }).join(", ");
    }
    var checkbox = widget.querySelector("input[type=checkbox]");
    if (checkbox) { return checkbox.checked ? "on" : "off"; }
    var pressed = widget.querySelector("button.mod-active");
    if (pressed) { return pressed.textContent.trim(); }
    var input = widget.querySelector("input");
    return input ? input.value : "";
  }

  function dropNullTooltips(root) {
    // @jupyter-widgets/controls 5 (in the manager) sets a label's title to the model's tooltip even when it is null.
    root.querySelectorAll(".widget-label[title=null]").forEach(function (label) {
      label.removeAttribute("title");
    });
  }

  function nameSliders(root) {
    root.querySelectorAll(".widget-slider [role=slider]").forEach(function (handle) {
      if (handle.hasAttribute("aria-label") || handle.hasAttribute("aria-labelledby")) { return; }
      var widget = handle.closest(".widget-slider");
      var name = describe(widget) || "value";
      if (widget.querySelectorAll("[role=slider]").length > 1) {
        name += handle.classList.contains("noUi-handle-upper") ? " (upper end)" : " (lower end)";
      }
      handle.setAttribute("aria-label", name);
    });
  }

  function staticFigureAfter(element) {
    var cell = element.closest(".cell");
    for (var k = 0; k < 3 && cell; k++) {
      cell = cell.nextElementSibling;
      var img = cell && cell.querySelector("figure img[alt]");
      if (img) {
        var number = cell.querySelector("figcaption .caption-number");
        return (number ? number.textContent.trim() + " " : "") + img.getAttribute("alt");
      }
    }
    return "";
  }

  function describeWidgetImages(root) {
    // Images without alt, and those named here before (redone: controls may render after the image).
    root.querySelectorAll(".widget-subarea img:not([alt]), img[data-widget-alt]").forEach(function (img) {
      var area = img.closest(".widget-subarea");
      var settings = [];
      area.querySelectorAll(".widget-slider, .widget-dropdown, .widget-checkbox, .widget-toggle-buttons, .widget-radio, .widget-text")
        .forEach(function (widget) {
          var name = describe(widget), value = controlValue(widget);
          if (name || value) { settings.push(name ? name + " = " + value : value); }
        });
      var alt = "Plot drawn by the interactive widget" + (settings.length ? " for " + settings.join(", ") : "");
      var figure = staticFigureAfter(area);
      img.setAttribute("alt", alt + (figure ? ". The static figure after it shows the same: " + figure : ""));
      img.setAttribute("data-widget-alt", "");
    });
  }

  var pending = false;
  function update() {
    pending = false;
    dropNullTooltips(document);
    nameSliders(document);
    describeWidgetImages(document);
  }
  new MutationObserver(function () {
    if (!pending) { pending = true; Promise.resolve().then(update); }
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
