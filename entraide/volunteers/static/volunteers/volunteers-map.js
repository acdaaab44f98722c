/* Maps of the volunteer pages. Progressive enhancement: every page works without them.
   #volunteer-map shows rounded positions of open requests (and the volunteer's home);
   #pin-map lets a volunteer place their home more precisely than the town. */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }

  function baseMap(element) {
    element.hidden = false;
    var map = L.map(element, { scrollWheelZoom: false });
    var tileUrl = element.dataset.tileUrl;
    if (tileUrl) {
      L.tileLayer(tileUrl, { attribution: element.dataset.tileAttribution || "", maxZoom: 18 }).addTo(map);
    }
    return map;
  }

  function requestsMap(element) {
    var source = document.getElementById(element.dataset.points);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var map = baseMap(element);
    var bounds = [];
    if (data.home) {
      var home = [data.home.lat, data.home.lon];
      L.circleMarker(home, { radius: 7, color: "#07432a", fillOpacity: 1 })
        .bindTooltip(data.home.label).addTo(map);
      if (data.radius_km) {
        var circle = L.circle(home, { radius: data.radius_km * 1000, color: "#0b5d3b", fill: false });
        circle.addTo(map);
        bounds.push(circle.getBounds().getNorthEast(), circle.getBounds().getSouthWest());
      }
      bounds.push(home);
    }
    (data.points || []).forEach(function (point) {
      var position = [point.lat, point.lon];
      var marker = L.marker(position, { title: point.label, alt: point.label }).addTo(map);
      if (point.url) {
        var link = document.createElement("a");
        link.href = point.url;
        link.textContent = point.label;
        marker.bindPopup(link);
      }
      bounds.push(position);
    });
    if (bounds.length > 1) {
      map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 });
    } else if (bounds.length === 1) {
      map.setView(bounds[0], 14);
    }
  }

  function pinMap(element) {
    var latInput = document.getElementById(element.dataset.latInput);
    var lonInput = document.getElementById(element.dataset.lonInput);
    var townInput = document.getElementById(element.dataset.townInput);
    var help = document.getElementById("pin-map-help");
    if (!latInput || !lonInput) { return; }
    var map = baseMap(element);
    if (help) { help.hidden = false; }
    var marker = null;
    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
      latInput.value = latlng.lat.toFixed(6);
      lonInput.value = latlng.lng.toFixed(6);
    }
    if (element.dataset.lat && element.dataset.lon) {
      var start = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];
      marker = L.marker(start).addTo(map);
      map.setView(start, 13);
    } else {
      map.setView([50.5, 4.4], 7);
    }
    map.on("click", function (event) { place(event.latlng); });
    if (townInput) {
      // A new town means a new home: drop the pin so the town is looked up instead.
      townInput.addEventListener("change", function () {
        latInput.value = "";
        lonInput.value = "";
        if (marker) { map.removeLayer(marker); marker = null; }
      });
    }
  }

  var requests = document.getElementById("volunteer-map");
  if (requests) { requestsMap(requests); }
  var pin = document.getElementById("pin-map");
  if (pin) { pinMap(pin); }
})();
