// Times the server writes in UTC (<time datetime="ISO" data-local-time>) shown in the reader's own time
// zone and conventions. The server's text stays if the browser cannot read the date.
(function () {
  "use strict";
  var format = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

  function localise(root) {
    root.querySelectorAll("time[data-local-time]").forEach(function (element) {
      var when = new Date(element.getAttribute("datetime"));
      if (isNaN(when.getTime())) { return; }
      element.textContent = format.format(when);
      element.title = when.toString();
    });
  }

  // htmx.onLoad runs for the page and again for every fragment htmx swaps in (the autosave status).
  htmx.onLoad(localise);
})();
