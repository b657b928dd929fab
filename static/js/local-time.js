// Times the server writes in UTC (<time datetime="ISO" data-local-time>) shown in the reader's own time
// zone and conventions. The server's text stays if the browser cannot read the date.
(function () {
  "use strict";
  // In the page's language (a French page reads 14:05, not 2:05 PM), in the reader's own variant of it when
  // the browser names one (en-GB rather than en-US on an English page).
  var pageLanguage = (document.documentElement.lang || "").toLowerCase();
  var readerVariants = (navigator.languages || [navigator.language]).filter(function (tag) {
    return tag && tag.toLowerCase().split("-")[0] === pageLanguage;
  });
  var locales = readerVariants.length ? readerVariants : (pageLanguage ? [pageLanguage] : undefined);
  var format = new Intl.DateTimeFormat(locales, { hour: "2-digit", minute: "2-digit" });

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
