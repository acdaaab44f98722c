// "Use my location": shown only when the browser can tell it; fills the hidden position and
// sends the form. Without JavaScript the town and postcode fields do the same job.
(function () {
  var button = document.getElementById("use-location");
  if (!button || !navigator.geolocation) return;
  var form = button.form;
  var status = document.getElementById("location-status");
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.dataset.waiting;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        form.elements.lat.value = position.coords.latitude.toFixed(5);
        form.elements.lon.value = position.coords.longitude.toFixed(5);
        form.submit();
      },
      function () {
        status.textContent = button.dataset.failed;
      },
      { timeout: 10000 }
    );
  });
})();
