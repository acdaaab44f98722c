/* Behaviour every page shares, kept out of the HTML so that the Content-Security-Policy can
 * forbid inline scripts: a form sent back with errors moves the focus to its error summary
 * (screen readers read it first), and a value shown once (a new API key) is selected. */
(function () {
  "use strict";
  function start() {
    var summary = document.querySelector(".error-summary");
    if (summary) {
      summary.focus();
      return;
    }
    var chosen = document.querySelector("[data-select-on-load]");
    if (chosen && typeof chosen.select === "function") { chosen.select(); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
