// The estimate's total, updated as the donor types quantities. Without JavaScript the page
// shows the same total after the form is sent.
(function () {
  document.querySelectorAll("[data-estimate]").forEach(function (box) {
    var total = box.querySelector("#estimate-total");
    var typed = box.querySelector("input[name=volume_m3]");
    function update() {
      var sum = 0;
      box.querySelectorAll("input[data-volume]").forEach(function (input) {
        var count = parseInt(input.value, 10);
        if (count > 0) sum += count * parseFloat(input.dataset.volume);
      });
      var direct = typed ? parseFloat(typed.value.replace(",", ".")) : NaN;
      if (direct > 0) sum = direct;
      total.textContent = sum > 0 ? sum.toLocaleString(document.documentElement.lang, { maximumFractionDigits: 2 }) : total.dataset.empty;
    }
    box.addEventListener("input", update);
  });
})();
