// Narrows the NGO directory list in place by sector, district and freshness of the details
// (data-freshness: aktualne, nieaktualne, niepotwierdzone), and orders it by the date the
// details were last confirmed (data-verified, YYYY-MM-DD; entries never confirmed count as the
// oldest). Without JavaScript the per-sector and per-district pages (linked below the form) do
// the filtering, and every entry shows its "Dane potwierdzone" date. The controls are looked
// up inside the theme's form, and each must be of its element type: nothing from content can
// stand in for them (content ids never equal the theme's, see src/render/ids.rs).
(function () {
  "use strict";
  var form = document.getElementById("ngo-filter");
  if (!(form instanceof HTMLFormElement)) { return; }
  var sector = form.elements.namedItem("branza");
  var district = form.elements.namedItem("dzielnica");
  var freshness = form.elements.namedItem("aktualnosc");
  var order = form.elements.namedItem("kolejnosc");
  var status = form.querySelector("p.filter-status");
  var selects = [sector, district, freshness, order];
  if (!selects.every(function (s) { return s instanceof HTMLSelectElement; }) || !status) { return; }
  var items = Array.prototype.slice.call(document.querySelectorAll(".items > .item"));
  var list = items.length ? items[0].parentNode : null;
  form.hidden = false;
  function has(list, value) {
    return value === "" || (" " + list + " ").indexOf(" " + value + " ") !== -1;
  }
  // Newest first ("najnowsze") or oldest first ("najstarsze"); ties, and the default, keep
  // the page's alphabetical order.
  function sorted() {
    var keyed = items.map(function (item, i) {
      return { item: item, i: i, date: item.getAttribute("data-verified") || "" };
    });
    if (order.value === "najnowsze" || order.value === "najstarsze") {
      var sign = order.value === "najnowsze" ? -1 : 1;
      keyed.sort(function (a, b) {
        if (a.date !== b.date) { return a.date < b.date ? -sign : sign; }
        return a.i - b.i;
      });
    }
    return keyed.map(function (k) { return k.item; });
  }
  function apply() {
    var shown = 0;
    items.forEach(function (item) {
      var ok = has(item.getAttribute("data-sectors") || "", sector.value) &&
               has(item.getAttribute("data-districts") || "", district.value) &&
               (freshness.value === "" || item.getAttribute("data-freshness") === freshness.value);
      item.hidden = !ok;
      if (ok) { shown += 1; }
    });
    if (list) {
      sorted().forEach(function (item) { list.appendChild(item); });
    }
    var text = (sector.value || district.value || freshness.value)
      ? "Pokazano " + shown + " z " + items.length + " organizacji na tej stronie."
      : "";
    if (order.value) {
      text += (text ? " " : "") + "Kolejność: " + order.options[order.selectedIndex].text + ".";
    }
    status.textContent = text;
  }
  selects.forEach(function (s) { s.addEventListener("change", apply); });
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
})();
