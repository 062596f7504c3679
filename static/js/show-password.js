// A "show password" toggle button for password fields; aria-pressed says whether it is shown.
// Without JavaScript the button stays hidden and the field works as usual. External file, no
// inline script (Content-Security-Policy).
(function () {
  "use strict";
  document.querySelectorAll("[data-show-password]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-show-password"));
    if (!field) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var show = field.type === "password";
      field.type = show ? "text" : "password";
      button.setAttribute("aria-pressed", show ? "true" : "false");
    });
  });
})();
