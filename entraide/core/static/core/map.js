/* entraide map helper: one small wrapper around Leaflet shared by every page with a map.
 *
 * <div class="map" data-lat="50.85" data-lon="4.35" data-zoom="14"
 *      data-tile-url="https://tiles.example/{z}/{x}/{y}.png" data-attribution="..."
 *      data-basemap-url="/static/core/basemap/basemap.json"
 *      data-editable="1" data-lat-input="id_lat" data-lon-input="id_lon"
 *      data-pin-label="Your home" data-markers="markers-json"
 *      data-default-lat="50.85" data-default-lon="4.35" data-auto></div>
 *
 * data-markers names a <script type="application/json"> holding [{lat, lon, label, url}]
 * (with a `number`, the marker is a numbered disc: the stops of a round);
 * data-auto asks for the map to be built on page load.
 *
 * With a tile URL the map shows those tiles. Without one it draws the offline basemap
 * (data-basemap-url: land, borders, regions, lakes, roads and town names, built by
 * `entraide build_basemap`), fetched from the site itself; if that fails too the map keeps
 * its plain background and the pins still show where things are. Pages must work without
 * this script.
 */
(function () {
  "use strict";

  // Where this script is served from: the basemap sits beside it, for the maps whose page
  // does not name it (an empty data-basemap-url turns it off).
  var SCRIPT_URL = document.currentScript ? document.currentScript.src : "";

  function basemapUrl(element) {
    if (element.dataset.basemapUrl !== undefined) { return element.dataset.basemapUrl; }
    return SCRIPT_URL ? SCRIPT_URL.replace(/map\.js(\?.*)?$/, "basemap/basemap.json") : "";
  }

  function number(value) {
    var parsed = parseFloat(value);
    return isNaN(parsed) ? null : parsed;
  }

  function readMarkers(scriptId) {
    var script = scriptId ? document.getElementById(scriptId) : null;
    if (!script) { return []; }
    try { return JSON.parse(script.textContent) || []; } catch (error) { return []; }
  }

  // Colours of the offline basemap: quiet, so that the pins and markers stand out.
  var BASEMAP = {
    sea: "#d6e4ec",
    land: {stroke: false, fillColor: "#f6f3ec", fillOpacity: 1},
    water: {stroke: false, fillColor: "#d6e4ec", fillOpacity: 1},
    regions: {color: "#b8aec8", weight: 1, dashArray: "4 3", fill: false},
    roads: {color: "#d9a066", weight: 1.5, fill: false},
    borders: {color: "#7d6f96", weight: 1.6, fill: false}
  };
  // Town labels sit above the basemap's shapes, below the markers (.basemap-town in
  // entraide.css: a stylesheet, not an injected <style>, which the CSP would refuse).
  var MAX_LABELS = 120;

  /* Show the names of the towns in view, biggest first, skipping those that would overlap
   * a name already placed: the map says "Paris" at country level and the villages when
   * zoomed in on a home. */
  function placeLabels(map, layer, towns) {
    layer.clearLayers();
    var zoom = map.getZoom();
    var bounds = map.getBounds().pad(0.1);
    var placed = [];
    for (var i = 0; i < towns.length && placed.length < MAX_LABELS; i++) {
      var town = towns[i];  // [name, lat, lon, zoom from which it is named]
      if (town[3] > zoom || !bounds.contains([town[1], town[2]])) { continue; }
      var point = map.latLngToContainerPoint([town[1], town[2]]);
      var city = town[3] <= 6;
      // Roughly the label's box in pixels, with a small margin around it.
      var half = {x: town[0].length * (city ? 4.5 : 3.6) + 6, y: city ? 11 : 10};
      var box = {left: point.x - half.x, right: point.x + half.x,
        top: point.y - half.y, bottom: point.y + half.y};
      var overlaps = placed.some(function (other) {
        return box.left < other.right && other.left < box.right &&
          box.top < other.bottom && other.top < box.bottom;
      });
      if (overlaps) { continue; }
      placed.push(box);
      var text = document.createElement("span");
      text.textContent = town[0];
      L.marker([town[1], town[2]], {
        icon: L.divIcon({className: "basemap-town" + (city ? " basemap-city" : ""), html: text,
          iconSize: null}),
        interactive: false,
        keyboard: false,
        pane: "basemapLabels"
      }).addTo(layer);
    }
  }

  /* Draw the offline basemap under the markers; leave the plain background if it cannot
   * be loaded (the pins and markers do not wait for it). */
  function drawBasemap(map, element, url) {
    map.createPane("basemap").style.zIndex = 250;
    map.createPane("basemapLabels").style.zIndex = 450;
    var renderer = L.canvas({pane: "basemap", padding: 0.3});
    var labels = L.layerGroup().addTo(map);
    element.dataset.basemap = "loading";
    return window.fetch(url, {credentials: "same-origin"}).then(function (response) {
      if (!response.ok) { throw new Error("basemap: HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      element.style.background = BASEMAP.sea;
      ["land", "water", "regions", "roads", "borders"].forEach(function (name) {
        if (!data[name] || !data[name].features || !data[name].features.length) { return; }
        L.geoJSON(data[name], {
          renderer: renderer,
          interactive: false,
          style: function () { return BASEMAP[name]; }
        }).addTo(map);
      });
      var towns = data.towns || [];
      var update = function () { placeLabels(map, labels, towns); };
      map.on("zoomend moveend", update);
      update();
      if (data.attribution && map.attributionControl) {
        map.attributionControl.addAttribution(data.attribution);
      }
      element.dataset.basemap = "drawn";
    }).catch(function () {
      element.dataset.basemap = "failed";
    });
  }

  /* Let keyboard users move the pin with the arrow keys (Shift for small steps), since a
   * drag needs a mouse or a finger. */
  function moveWithKeys(map, pin, element) {
    var icon = pin.getElement();
    if (!icon) { return; }
    var steps = {ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1]};
    L.DomEvent.on(icon, "keydown", function (event) {
      var step = steps[event.key];
      if (!step) { return; }
      L.DomEvent.stop(event);  // the map would pan on the same keys
      var pixels = event.shiftKey ? 2 : 20;
      var point = map.latLngToContainerPoint(pin.getLatLng());
      var moved = map.containerPointToLatLng(
        point.add(L.point(step[0] * pixels, step[1] * pixels)));
      pin.setLatLng(moved);
      writeInputs(element, moved);
    });
  }

  function writeInputs(element, latLng) {
    var latInput = document.getElementById(element.dataset.latInput || "");
    var lonInput = document.getElementById(element.dataset.lonInput || "");
    // Six decimals is about 10 cm: more would only pretend to a precision nobody has.
    if (latInput) { latInput.value = latLng.lat.toFixed(6); }
    if (lonInput) { lonInput.value = latLng.lng.toFixed(6); }
  }

  /* Build a map in `element`; `options` may give lat/lon to override the data attributes.
   * Returns {map, pin, markers, basemap (a promise, or null), moveTo(lat, lon)}, or null when
 * Leaflet is missing. */
  function init(element, options) {
    if (!window.L || !element) { return null; }
    options = options || {};
    var lat = options.lat !== undefined ? options.lat : number(element.dataset.lat);
    var lon = options.lon !== undefined ? options.lon : number(element.dataset.lon);
    var zoom = number(element.dataset.zoom) || 14;
    var markers = readMarkers(element.dataset.markers);
    var map = L.map(element, {scrollWheelZoom: false});
    var basemap = null;
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, {
        attribution: element.dataset.attribution || "",
        maxZoom: 19
      }).addTo(map);
    } else if (basemapUrl(element) && window.fetch) {
      basemap = drawBasemap(map, element, basemapUrl(element));
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
      // Only now is the pin on the map, with an element to listen to.
      if (editable) { moveWithKeys(map, pin, element); }
    }
    var layers = markers.map(function (item) {
      var marker;
      if (typeof item.number === "number") {
        // A stop of a route: its number drawn on the marker, so the map reads like the sheet.
        marker = L.marker([item.lat, item.lon], {
          icon: L.divIcon({className: "map-stop", html: String(item.number), iconSize: [28, 28]}),
          title: item.label || String(item.number),
          keyboard: false
        });
      } else {
        marker = L.circleMarker([item.lat, item.lon], {radius: 8, weight: 2});
      }
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
      basemap: basemap,
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
