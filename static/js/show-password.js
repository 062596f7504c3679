// A "show password" button for password fields: without JavaScript the button stays hidden and
// the field works as usual. External file, no inline script (Content-Security-Policy).
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
      button.textContent = button.getAttribute(show ? "data-label-hide" : "data-label-show");
    });
  });
})();
