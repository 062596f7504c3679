// Progressive enhancement of the proposal form: the allocation fields are shown only for a
// fund allocation. Without JavaScript every field is visible, with a help text saying when it
// counts; the server ignores them for a general proposal.
(function () {
  "use strict";
  var radios = document.querySelectorAll("input[name='kind']");
  if (!radios.length) {
    return;
  }
  var wrappers = [];
  document.querySelectorAll("[data-allocation-field]").forEach(function (field) {
    var wrapper = document.getElementById("div_id_" + field.name);
    if (wrapper && wrappers.indexOf(wrapper) === -1) {
      wrappers.push(wrapper);
    }
  });
  function update() {
    var chosen = document.querySelector("input[name='kind']:checked");
    var show = chosen && chosen.value === "fund_allocation";
    wrappers.forEach(function (wrapper) {
      wrapper.hidden = !show;
    });
  }
  radios.forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
})();
