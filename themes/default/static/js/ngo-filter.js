// Narrows the NGO directory list in place by sector and district. Without JavaScript the
// per-sector and per-district pages (linked below the form) do the same.
(function () {
  "use strict";
  var form = document.getElementById("ngo-filter");
  if (!form) { return; }
  var sector = document.getElementById("filtr-branza");
  var district = document.getElementById("filtr-dzielnica");
  var status = document.getElementById("ngo-filter-status");
  var items = Array.prototype.slice.call(document.querySelectorAll(".items > .item"));
  form.hidden = false;
  function has(list, value) {
    return value === "" || (" " + list + " ").indexOf(" " + value + " ") !== -1;
  }
  function apply() {
    var shown = 0;
    items.forEach(function (item) {
      var ok = has(item.getAttribute("data-sectors") || "", sector.value) &&
               has(item.getAttribute("data-districts") || "", district.value);
      item.hidden = !ok;
      if (ok) { shown += 1; }
    });
    status.textContent = (sector.value || district.value)
      ? "Pokazano " + shown + " z " + items.length + " organizacji na tej stronie."
      : "";
  }
  sector.addEventListener("change", apply);
  district.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
})();
