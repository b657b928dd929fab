// Review step forms: warn before leaving with unsaved text, and stop warning once a save went through.
// Autosave itself is declarative (htmx attributes on the form); this file only adds the leave-page guard.
(function () {
  "use strict";
  var form = document.getElementById("step-form");
  if (!form) { return; }
  var dirty = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt === form && event.detail.successful) {
      var status = document.getElementById("autosave-status");
      dirty = !(status && status.classList.contains("autosave-saved"));
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();
