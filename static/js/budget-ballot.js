// The running total on the budget ballot: how many plans are ticked and what they cost together,
// in words, in a polite live region. Without JavaScript the costs are beside each plan and the
// server counts; this only adds up.
(function () {
  "use strict";
  var form = document.querySelector("[data-budget-ballot]");
  if (!form) {
    return;
  }
  var output = form.querySelector("[data-testid='running-total']");
  var boxes = form.querySelectorAll("input[type='checkbox'][data-cost]");
  var lang = document.documentElement.lang || "nl";
  function euros(amount) {
    return "€\u00a0" + amount.toLocaleString(lang, { maximumFractionDigits: 0 });
  }
  function update() {
    var count = 0;
    var total = 0;
    boxes.forEach(function (box) {
      if (box.checked) {
        count += 1;
        total += parseInt(box.getAttribute("data-cost"), 10) || 0;
      }
    });
    var text = count === 1 ? output.getAttribute("data-total-one") : output.getAttribute("data-total-template");
    output.textContent = text.replace("{count}", count).replace("{total}", euros(total));
  }
  boxes.forEach(function (box) {
    box.addEventListener("change", update);
  });
  update();
})();
