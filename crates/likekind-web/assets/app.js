// After a refused form the focus goes to the first invalid field (aria-invalid="true"), or to
// the error box when no field is marked: on page load and after an htmx form submission.
(function () {
  "use strict";
  function focusFirstError(root) {
    var el = root.querySelector('[aria-invalid="true"]') || root.querySelector('.error[role="alert"]');
    if (el) { el.focus(); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (document.getElementById("form-errors")) { focusFirstError(document); }
  });
  document.addEventListener("htmx:afterSettle", function (e) {
    var cfg = e.detail && e.detail.requestConfig;
    if (cfg && cfg.triggeringEvent && cfg.triggeringEvent.type === "submit" && e.target.querySelector && e.target.querySelector("#form-errors")) {
      focusFirstError(e.target);
    }
  });
})();
