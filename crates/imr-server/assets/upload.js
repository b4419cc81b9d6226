// The upload form's drop zone: files dropped on it become the file input's selection, and the
// chosen files are listed with their sizes. Without this script the file input alone works.
"use strict";
(function () {
  const zone = document.getElementById("dropzone");
  const input = document.getElementById("upload-files");
  if (!zone || !input) return;
  const list = zone.querySelector(".drop-list");
  const hint = zone.querySelector(".drop-hint");
  if (hint) hint.hidden = false;
  function size(bytes) {
    if (bytes < 1000) return bytes + " bytes";
    const units = ["KB", "MB", "GB"];
    let value = bytes / 1000, unit = 0;
    while (value >= 999.95 && unit < units.length - 1) { value /= 1000; unit += 1; }
    return (value < 99.95 ? value.toFixed(1) : value.toFixed(0)) + " " + units[unit];
  }
  function show() {
    list.replaceChildren();
    Array.from(input.files).forEach(function (file) {
      const item = document.createElement("li");
      item.textContent = file.name + " (" + size(file.size) + ")";
      list.appendChild(item);
    });
  }
  input.addEventListener("change", show);
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("dragging");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("dragging"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    if (!event.dataTransfer || event.dataTransfer.files.length === 0) return;
    // Dropped files join those already chosen.
    const all = new DataTransfer();
    Array.from(input.files).forEach(function (f) { all.items.add(f); });
    Array.from(event.dataTransfer.files).forEach(function (f) { all.items.add(f); });
    input.files = all.files;
    show();
  });
})();
