// Narrows a report's table of postulates in place by the city's answer and by sector.
// Without JavaScript the whole table is shown and the form stays hidden. The controls are
// looked up inside the theme's form, and each must be of its element type: nothing from
// content can stand in for them (content ids never equal the theme's, see src/render/ids.rs).
(function () {
  "use strict";
  var form = document.getElementById("postulate-filter");
  if (!(form instanceof HTMLFormElement)) { return; }
  var status = form.elements.namedItem("odpowiedz");
  var sector = form.elements.namedItem("branza");
  var note = form.querySelector("p.filter-status");
  if (!(status instanceof HTMLSelectElement) || !note) { return; }
  if (!(sector instanceof HTMLSelectElement)) { sector = null; }
  var box = form.closest("section") || document;
  var rows = Array.prototype.slice.call(box.querySelectorAll("table.postulates tbody tr"));
  form.hidden = false;
  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var ok = (status.value === "" || row.getAttribute("data-status") === status.value) &&
               (!sector || sector.value === "" || row.getAttribute("data-sector") === sector.value);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    note.textContent = (status.value || (sector && sector.value))
      ? "Pokazano " + shown + " z " + rows.length + " postulatów."
      : "";
  }
  status.addEventListener("change", apply);
  if (sector) { sector.addEventListener("change", apply); }
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
})();
