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
  // Marks swapped out of band (`data-marks-only`: the calculator's inputs, each marked with
  // its problem): the inputs on the page are not replaced (what is being typed stays, and so
  // does the focus); each takes its new marks (aria-invalid, aria-describedby), its field's
  // "invalid" class and its problem message from the response.
  document.addEventListener("htmx:oobBeforeSwap", function (e) {
    var d = e.detail;
    if (!d || !d.fragment || !d.target || !d.target.hasAttribute || !d.target.hasAttribute("data-marks-only")) { return; }
    d.target.querySelectorAll("input[id], select[id], textarea[id]").forEach(function (live) {
      var fresh = d.fragment.querySelector("#" + CSS.escape(live.id));
      if (!fresh) { return; }
      ["aria-invalid", "aria-describedby"].forEach(function (a) {
        if (fresh.hasAttribute(a)) { live.setAttribute(a, fresh.getAttribute(a)); } else { live.removeAttribute(a); }
      });
      var wrap = live.closest(".field");
      var freshWrap = fresh.closest(".field");
      if (wrap && freshWrap) {
        wrap.classList.toggle("invalid", freshWrap.classList.contains("invalid"));
        var old = wrap.querySelector(".problem");
        if (old) { old.remove(); }
        var msg = freshWrap.querySelector(".problem");
        if (msg) { live.insertAdjacentElement("afterend", msg); }
      }
    });
    d.shouldSwap = false;
  });
  document.addEventListener("htmx:afterSettle", function (e) {
    var cfg = e.detail && e.detail.requestConfig;
    if (cfg && cfg.triggeringEvent && cfg.triggeringEvent.type === "submit" && e.target.querySelector && e.target.querySelector("#form-errors")) {
      focusFirstError(e.target);
    }
  });
})();
