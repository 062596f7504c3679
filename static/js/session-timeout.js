// Warn a resident two minutes before their session ends for lack of activity, and offer to stay
// logged in. The server ends the session on its own (accounts.middleware); this only tells the
// person in time. External file, no inline script (Content-Security-Policy).
(function () {
  "use strict";
  var box = document.getElementById("session-warning");
  if (!box) {
    return;
  }
  var idle = Number(box.getAttribute("data-idle-seconds"));
  var warning = Number(box.getAttribute("data-warning-seconds"));
  var form = box.querySelector("form");
  var button = form.querySelector("button");
  var active = box.querySelectorAll("[data-session-active]");
  var ended = box.querySelector("[data-session-ended]");
  var warnTimer = null;
  var endTimer = null;

  function show() {
    box.hidden = false;
    button.focus();
  }

  function end() {
    clearTimeout(warnTimer);
    active.forEach(function (element) {
      element.hidden = true;
    });
    ended.hidden = false;
    box.hidden = false;
  }

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    box.hidden = true;
    warnTimer = setTimeout(show, Math.max(0, idle - warning) * 1000);
    endTimer = setTimeout(end, idle * 1000);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        if (response.status === 204) {
          schedule();
        } else {
          end();
        }
      })
      .catch(end);
  });
  // Requests made by htmx also count as activity on the server.
  document.body.addEventListener("htmx:afterRequest", schedule);
  schedule();
})();
