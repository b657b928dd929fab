// Review step forms. Autosave itself is declarative (htmx attributes on #step-form); this file only
// 1. holds back a Save click while an autosave is on its way, so the two never race on the revision, and
// 2. warns before leaving the page with text that no save has kept yet.
(function () {
  "use strict";
  var form = document.getElementById("step-form");
  if (!form) { return; }
  var dirty = false;
  var inFlight = 0;
  var held = false;
  var heldSubmitter = null;

  function ours(event) { return event.detail && event.detail.elt === form; }

  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("submit", function (event) {
    if (inFlight > 0) {
      event.preventDefault();
      held = true;
      heldSubmitter = event.submitter || null;
      return;
    }
    dirty = false;
  });
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (ours(event)) { inFlight += 1; }
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (!ours(event)) { return; }
    inFlight = Math.max(0, inFlight - 1);
    var status = document.getElementById("autosave-status");
    if (event.detail.successful && status && status.classList.contains("autosave-saved")) { dirty = false; }
    if (inFlight === 0 && held) {
      var submitter = heldSubmitter;
      held = false;
      heldSubmitter = null;
      dirty = false;
      if (submitter) { form.requestSubmit(submitter); } else { form.requestSubmit(); }
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();
