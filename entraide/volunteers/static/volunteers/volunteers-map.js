/* Maps of the volunteer pages, built with the shared helper (core/map.js).
   The maps start hidden so that pages without JavaScript show no empty box; the lists
   and the town field do the same job without them. */
(function () {
  "use strict";
  if (!window.entraideMap) { return; }
  var elements = document.querySelectorAll(".map[data-volunteer-map]");
  Array.prototype.forEach.call(elements, function (element) {
    element.hidden = false;
    var help = element.dataset.help ? document.getElementById(element.dataset.help) : null;
    if (help) { help.hidden = false; }
    var built = window.entraideMap.init(element);
    var townInput = document.getElementById(element.dataset.townInput || "");
    if (!built || !townInput) { return; }
    // A new town means a new home: forget the pin so that the town is looked up instead.
    townInput.addEventListener("change", function () {
      var latInput = document.getElementById(element.dataset.latInput || "");
      var lonInput = document.getElementById(element.dataset.lonInput || "");
      if (latInput) { latInput.value = ""; }
      if (lonInput) { lonInput.value = ""; }
    });
  });
})();
