// The intake form's disputed items, added and removed in place. Without this script the
// form still works: "More items" asks the server for more rows, and an empty row is left out.
"use strict";
(function () {
  const rows = document.getElementById("item-rows");
  const more = document.getElementById("more-items");
  if (!rows || !more) return;
  const MAX = 50;
  // Ids and labels follow the row's place, so labels stay tied to their fields.
  function renumber() {
    Array.from(rows.children).forEach(function (row, i) {
      row.querySelectorAll("[id]").forEach(function (el) {
        el.id = el.id.replace(/items\[\d+\]/, "items[" + i + "]");
      });
      row.querySelectorAll("label[for]").forEach(function (el) {
        el.htmlFor = el.htmlFor.replace(/items\[\d+\]/, "items[" + i + "]");
      });
      const n = row.querySelector(".item-number");
      if (n) n.textContent = String(i + 1);
      const remove = row.querySelector(".remove-item");
      if (remove) remove.hidden = rows.children.length < 2;
    });
    more.hidden = rows.children.length >= MAX;
  }
  function wire(row) {
    const remove = row.querySelector(".remove-item");
    if (remove) remove.addEventListener("click", function () {
      row.remove();
      renumber();
      more.focus();
    });
  }
  Array.from(rows.children).forEach(wire);
  more.textContent = "Add an item";
  more.addEventListener("click", function (event) {
    event.preventDefault();
    if (rows.children.length >= MAX) return;
    const row = rows.lastElementChild.cloneNode(true);
    row.querySelectorAll("input").forEach(function (el) { el.value = ""; el.classList.remove("invalid"); });
    row.querySelectorAll("select").forEach(function (el) { el.selectedIndex = 0; });
    row.querySelectorAll(".field-error").forEach(function (el) { el.remove(); });
    rows.appendChild(row);
    wire(row);
    renumber();
    row.querySelector("input").focus();
  });
  renumber();
})();
