/* The catalogue's map, built with the shared helper (core/map.js). It starts hidden so that
   pages without JavaScript (or without Leaflet) show no empty box: the list says the same. */
(function () {
  "use strict";
  if (!window.entraideMap || !window.L) { return; }
  var section = document.querySelector(".missions-map");
  if (!section) { return; }
  section.hidden = false;
  window.entraideMap.init(section.querySelector(".map"));
})();
