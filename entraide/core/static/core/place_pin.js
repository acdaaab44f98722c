/* The pin under an address form: it appears once the town is found (or where the page puts
 * it), and moving it (drag, click, or the arrow keys) fills the hidden lat/lon inputs, which
 * then win over the address. Pages work without it: the address alone is geocoded.
 *
 * <div id="pin-section" hidden> ... <div id="pin-map" class="map" data-editable="1"
 *      data-lat-input="id_lat" data-lon-input="id_lon" data-place-url="/en/help/place/"
 *      data-lat="" data-lon=""></div></div>
 */
(function () {
  "use strict";
  var section = document.getElementById("pin-section");
  var element = document.getElementById("pin-map");
  if (!window.L || !window.entraideMap || !section || !element) { return; }
  var handle = null;
  function field(name) {
    var input = document.getElementById("id_" + name);
    return input ? input.value.trim() : "";
  }
  function show(lat, lon) {
    section.hidden = false;
    if (handle === null) { handle = window.entraideMap.init(element, {lat: lat, lon: lon}); }
    else { handle.moveTo(lat, lon); }
  }
  if (element.dataset.lat && element.dataset.lon) {
    show(parseFloat(element.dataset.lat), parseFloat(element.dataset.lon));
  }
  function lookUp() {
    // Once the pin was moved by hand, a new address no longer moves it.
    if (!field("town") || field("lat")) { return; }
    var query = new URLSearchParams({town: field("town"), postcode: field("postcode"), address: field("address")});
    fetch(element.dataset.placeUrl + "?" + query.toString(), {headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (found) { if (found) { show(found.lat, found.lon); } })
      .catch(function () { /* the town alone is enough: the map is only a refinement */ });
  }
  ["town", "postcode", "address"].forEach(function (name) {
    var input = document.getElementById("id_" + name);
    if (input) { input.addEventListener("change", lookUp); }
  });
})();
