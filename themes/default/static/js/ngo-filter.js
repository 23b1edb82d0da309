// Narrows the NGO directory list in place by sector and district. Without JavaScript the
// per-sector and per-district pages (linked below the form) do the same. The controls are
// looked up inside the theme's form, and each must be of its element type: nothing from
// content can stand in for them (content ids never equal the theme's, see src/render/ids.rs).
(function () {
  "use strict";
  var form = document.getElementById("ngo-filter");
  if (!(form instanceof HTMLFormElement)) { return; }
  var sector = form.elements.namedItem("branza");
  var district = form.elements.namedItem("dzielnica");
  var status = form.querySelector("p.filter-status");
  if (!(sector instanceof HTMLSelectElement) || !(district instanceof HTMLSelectElement) || !status) { return; }
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
