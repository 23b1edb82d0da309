// Narrows a report's table of postulates in place by the city's answer and by sector.
// Without JavaScript the whole table is shown and the form stays hidden.
(function () {
  "use strict";
  var form = document.getElementById("postulate-filter");
  if (!form) { return; }
  var status = document.getElementById("filtr-odpowiedz");
  var sector = document.getElementById("filtr-postulat-branza");
  var note = document.getElementById("postulate-filter-status");
  var rows = Array.prototype.slice.call(document.querySelectorAll("table.postulates tbody tr"));
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
