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
})();
