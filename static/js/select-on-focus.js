// A read-only field whose text is meant to be copied selects all of it when it gets the focus
// (no inline onfocus: the Content-Security-Policy forbids it).
(function () {
  "use strict";
  document.querySelectorAll("[data-select-on-focus]").forEach(function (field) {
    field.addEventListener("focus", function () {
      field.select();
    });
  });
})();
