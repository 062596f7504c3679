// The "Print" button on the code slips (no inline onclick: the Content-Security-Policy forbids it).
(function () {
  "use strict";
  document.querySelectorAll("[data-print-button]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
