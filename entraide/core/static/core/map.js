/* entraide map helper: one small wrapper around Leaflet shared by every page with a map.
 *
 * <div class="map" data-lat="50.85" data-lon="4.35" data-zoom="14"
 *      data-tile-url="https://tiles.example/{z}/{x}/{y}.png" data-attribution="..."
 *      data-editable="1" data-lat-input="id_lat" data-lon-input="id_lon"
 *      data-pin-label="Your home" data-markers="markers-json"
 *      data-default-lat="50.85" data-default-lon="4.35" data-auto></div>
 *
 * data-markers names a <script type="application/json"> holding [{lat, lon, label, url}];
 * data-auto asks for the map to be built on page load.
 *
 * Without a tile URL the map keeps its plain background: pins still show where things are,
 * and nothing is fetched from the network. Pages must work without this script.
 */
(function () {
  "use strict";

  function number(value) {
    var parsed = parseFloat(value);
    return isNaN(parsed) ? null : parsed;
  }

  function readMarkers(scriptId) {
    var script = scriptId ? document.getElementById(scriptId) : null;
    if (!script) { return []; }
    try { return JSON.parse(script.textContent) || []; } catch (error) { return []; }
  }

  function writeInputs(element, latLng) {
    var latInput = document.getElementById(element.dataset.latInput || "");
    var lonInput = document.getElementById(element.dataset.lonInput || "");
    // Six decimals is about 10 cm: more would only pretend to a precision nobody has.
    if (latInput) { latInput.value = latLng.lat.toFixed(6); }
    if (lonInput) { lonInput.value = latLng.lng.toFixed(6); }
  }

  /* Build a map in `element`; `options` may give lat/lon to override the data attributes.
   * Returns {map, pin, markers, moveTo(lat, lon)}, or null when Leaflet is missing. */
  function init(element, options) {
    if (!window.L || !element) { return null; }
    options = options || {};
    var lat = options.lat !== undefined ? options.lat : number(element.dataset.lat);
    var lon = options.lon !== undefined ? options.lon : number(element.dataset.lon);
    var zoom = number(element.dataset.zoom) || 14;
    var markers = readMarkers(element.dataset.markers);
    var map = L.map(element, {scrollWheelZoom: false});
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, {
        attribution: element.dataset.attribution || "",
        maxZoom: 19
      }).addTo(map);
    }
    var pin = null;
    if (lat !== null && lon !== null) {
      var editable = element.dataset.editable === "1";
      pin = L.marker([lat, lon], {
        draggable: editable,
        keyboard: true,
        title: element.dataset.pinLabel || "",
        alt: element.dataset.pinLabel || ""
      }).addTo(map);
      if (editable) {
        pin.on("dragend", function () { writeInputs(element, pin.getLatLng()); });
        map.on("click", function (event) {
          pin.setLatLng(event.latlng);
          writeInputs(element, event.latlng);
        });
      }
      map.setView([lat, lon], zoom);
    }
    var layers = markers.map(function (item) {
      var marker = L.circleMarker([item.lat, item.lon], {radius: 8, weight: 2});
      if (item.label) {
        var content = document.createElement("span");
        if (item.url) {
          var link = document.createElement("a");
          link.href = item.url;
          link.textContent = item.label;
          content.appendChild(link);
        } else {
          content.textContent = item.label;
        }
        marker.bindPopup(content);
      }
      return marker.addTo(map);
    });
    if (pin === null && layers.length) {
      map.fitBounds(L.featureGroup(layers).getBounds().pad(0.2), {maxZoom: zoom});
    } else if (pin === null) {
      // Nothing to show yet: the page may say where to look, otherwise the whole world.
      var defaultLat = number(element.dataset.defaultLat);
      var defaultLon = number(element.dataset.defaultLon);
      if (defaultLat !== null && defaultLon !== null) {
        map.setView([defaultLat, defaultLon], number(element.dataset.defaultZoom) || 10);
      } else {
        map.setView([20, 0], 2);
      }
    }
    return {
      map: map,
      pin: pin,
      markers: layers,
      moveTo: function (newLat, newLon) {
        if (pin) { pin.setLatLng([newLat, newLon]); }
        map.setView([newLat, newLon], zoom);
      }
    };
  }

  /* Initialise every `.map[data-auto]` element of the page. */
  function initAll() {
    var elements = document.querySelectorAll(".map[data-auto]");
    return Array.prototype.map.call(elements, function (element) { return init(element); });
  }

  window.entraideMap = {init: init, initAll: initAll};
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
