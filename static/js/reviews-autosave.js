// Review step forms. Autosave itself is declarative (htmx attributes on #step-form); this file only
// 1. holds back a Save click while an autosave is on its way, so the two never race on the revision, and
// 2. warns before leaving the page with text that no save has kept yet.
//
// Edits are counted; each autosave request remembers how many edits its form data held, and once the
// server says it saved them, those edits are kept. The page is dirty while edits are newer than the
// last kept ones, so an older autosave finishing while newer typing waits does not clear the warning.
(function () {
  "use strict";
  var form = document.getElementById("step-form");
  if (!form) { return; }
  var edits = 0;
  var kept = 0;
  var inFlight = 0;
  var held = false;
  var heldSubmitter = null;

  function ours(event) { return event.detail && event.detail.elt === form; }
  function dirty() { return edits > kept; }

  // Not "change": it also fires when a field that was typed in loses focus, which is no new edit.
  form.addEventListener("input", function () { edits += 1; });
  form.addEventListener("submit", function (event) {
    if (inFlight > 0) {
      event.preventDefault();
      held = true;
      heldSubmitter = event.submitter || null;
      return;
    }
    kept = edits;  // the page is left for the server's answer to this full save
  });
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (!ours(event)) { return; }
    inFlight += 1;
    event.detail.xhr.editsSent = edits;  // the form data was read just before this event
  });
  // After the settle, not after the request: until then htmx keeps the old status element's classes
  // on the new one (for CSS transitions), so "saved" cannot be read earlier.
  // It fires on each swapped element, so the form is found in the request's configuration.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    var config = event.detail && event.detail.requestConfig;
    if (!config || config.elt !== form) { return; }
    var status = document.getElementById("autosave-status");
    if (status && status.classList.contains("autosave-saved")) {
      kept = Math.max(kept, event.detail.xhr.editsSent || 0);
    }
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (!ours(event)) { return; }
    inFlight = Math.max(0, inFlight - 1);
    if (inFlight === 0 && held) {
      var submitter = heldSubmitter;
      held = false;
      heldSubmitter = null;
      kept = edits;
      if (submitter) { form.requestSubmit(submitter); } else { form.requestSubmit(); }
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty()) { event.preventDefault(); event.returnValue = ""; }
  });
})();
