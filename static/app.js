// Service Desk page behaviour. No inline scripts: the CSP forbids them.
(function () {
  "use strict";

  // Ask before a destructive action: any button with data-confirm.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // Show company contact fields only for company customers.
  function syncKind() {
    var kind = document.getElementById("kind");
    if (!kind) return;
    document.querySelectorAll(".company-only").forEach(function (el) {
      el.classList.toggle("hidden", kind.value !== "company");
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.id === "kind") syncKind();
  });
  document.addEventListener("DOMContentLoaded", syncKind);

  // Drawn signatures: each canvas[data-signature-for] fills the hidden input it names,
  // as a PNG data URL, when its form is sent.
  function setUpSignatures() {
    if (typeof SignaturePad === "undefined") return;
    document.querySelectorAll("canvas[data-signature-for]").forEach(function (canvas) {
      var ratio = Math.max(window.devicePixelRatio || 1, 1);
      canvas.width = canvas.offsetWidth * ratio;
      canvas.height = canvas.offsetHeight * ratio;
      canvas.getContext("2d").scale(ratio, ratio);
      var pad = new SignaturePad(canvas);
      var target = document.getElementById(canvas.getAttribute("data-signature-for"));
      var form = canvas.closest("form");
      if (form && target) {
        form.addEventListener("submit", function () {
          target.value = pad.isEmpty() ? "" : pad.toDataURL("image/png");
        });
      }
      var clear = document.querySelector('[data-signature-clear="' + canvas.id + '"]');
      if (clear) clear.addEventListener("click", function () { pad.clear(); });
    });
  }
  document.addEventListener("DOMContentLoaded", setUpSignatures);

  // Charts: canvas[data-chart] holds {type, labels, datasets} as JSON; tables show the figures.
  function setUpCharts() {
    if (typeof Chart === "undefined") return;
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = JSON.parse(canvas.getAttribute("data-chart"));
      new Chart(canvas, {
        type: spec.type,
        data: { labels: spec.labels, datasets: spec.datasets },
        options: { responsive: true, animation: false, maintainAspectRatio: false,
                   scales: spec.scales || {} }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", setUpCharts);
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
    var all = event.target.closest("[data-check-all]");
    if (all) {
      document.querySelectorAll(all.getAttribute("data-check-all")).forEach(function (box) {
        box.checked = true;
        box.dispatchEvent(new Event("change", { bubbles: true }));
      });
    }
  });
})();

// Nothing typed is lost: every form that sends (but a search box, a password or a file)
// keeps what was typed in it, for this tab, also across the job board's refreshes; another
// form sent from the page (a photo upload) reloads the page and the typing comes back. A form
// that was sent keeps its draft until the next page: if that page shows an error, the typing
// comes back; if not, the form was taken and the draft is dropped.
(function () {
  var SKIP = ["csrf_token", "version", "form_key", "signature"];
  var KEPT = "form[method=post]:not([role=search]):not([data-no-draft])";

  function key(form) {
    if (form.id) return "draft:" + location.pathname + ":" + form.id;
    var action = form.getAttribute("action") || "here";
    var same = Array.prototype.filter.call(document.querySelectorAll(KEPT), function (other) {
      return !other.id && (other.getAttribute("action") || "here") === action;
    });
    return "draft:" + location.pathname + ":" + action + "#" + same.indexOf(form);
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "file" && el.type !== "submit" && el.type !== "hidden"
        && el.type !== "password" && SKIP.indexOf(el.name) < 0;
    });
  }

  function save(form, sent) {
    var values = {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) { (values[el.name] = values[el.name] || []).push(el.value); }
        else if (!(el.name in values)) { values[el.name] = values[el.name] || []; }
      } else {
        values[el.name] = el.value;
      }
    });
    if (sent) values.__sent = true;
    try { sessionStorage.setItem(key(form), JSON.stringify(values)); } catch (e) { /* full */ }
  }

  function restore(form) {
    var stored = null;
    try { stored = JSON.parse(sessionStorage.getItem(key(form)) || "null"); } catch (e) { }
    if (!stored) return;
    if (stored.__sent && !document.querySelector(".alert-danger, .is-invalid")) {
      sessionStorage.removeItem(key(form));
      return;
    }
    fields(form).forEach(function (el) {
      if (!(el.name in stored)) return;
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = stored[el.name].indexOf(el.value) >= 0;
      } else {
        el.value = stored[el.name];
      }
    });
    var folded = form.closest("details");
    if (folded) folded.open = true;
  }

  function kept(target) {
    var form = target && target.form;
    return form && form.matches(KEPT) ? form : null;
  }

  document.addEventListener("input", function (event) {
    var form = kept(event.target);
    if (form) save(form);
  });
  document.addEventListener("change", function (event) {
    var form = kept(event.target);
    if (form) save(form);
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches(KEPT)) return;
    save(form, !(event.submitter && event.submitter.hasAttribute("formaction")));
  });
  function restoreIn(root) { root.querySelectorAll(KEPT).forEach(restore); }
  document.addEventListener("DOMContentLoaded", function () { restoreIn(document); });
  document.addEventListener("htmx:afterSettle", function (event) { restoreIn(event.target); });
})();

// The intake drawing: tapping a panel of the car opens that panel's marks (one at a time),
// picks it for the next photo, and the drawing colours each panel by the damage marked on it.
(function () {
  function setUp() {
    var drawing = document.querySelector(".car-drawing");
    if (!drawing) return;
    var editors = Array.prototype.slice.call(document.querySelectorAll(".panel-editor"));
    var regions = Array.prototype.slice.call(drawing.querySelectorAll(".car-panel"));
    var photoPanel = document.querySelector("#photo-form select[name=panel]");
    var remembered = "intake-panel:" + location.pathname;

    function colour(key) {
      var picked = document.querySelector('input[name="damage-' + key + '"]:checked');
      var region = drawing.querySelector('.car-panel[data-panel="' + key + '"]');
      if (!region) return;
      if (picked && picked.value) region.setAttribute("data-damage", picked.value);
      else region.removeAttribute("data-damage");
    }

    function show(key) {
      editors.forEach(function (editor) { editor.hidden = editor.dataset.panel !== key; });
      regions.forEach(function (region) {
        var on = region.dataset.panel === key;
        region.classList.toggle("selected", on);
        region.setAttribute("aria-pressed", on ? "true" : "false");
      });
      if (photoPanel && key) photoPanel.value = key;
      try { sessionStorage.setItem(remembered, key); } catch (e) { }
    }

    regions.forEach(function (region) {
      region.addEventListener("click", function () { show(region.dataset.panel); });
      region.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          show(region.dataset.panel);
        }
      });
    });
    document.addEventListener("change", function (event) {
      var name = event.target.name || "";
      if (name.indexOf("damage-") === 0) colour(name.slice(7));
    });
    editors.forEach(function (editor) { colour(editor.dataset.panel); });
    var first = null;
    try { first = sessionStorage.getItem(remembered); } catch (e) { }
    show(first || "");
  }
  document.addEventListener("DOMContentLoaded", setUp);
})();
