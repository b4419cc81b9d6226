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
  // As the server writes sizes (imr_core::text::binary_size): "812 bytes", "32 MiB", "15.3 MiB".
  function size(bytes) {
    if (bytes < 1024) return bytes === 1 ? "1 byte" : bytes + " bytes";
    const units = ["KiB", "MiB", "GiB", "TiB"];
    let value = bytes / 1024, unit = 0;
    while (value >= 1023.95 && unit < units.length - 1) { value /= 1024; unit += 1; }
    const whole = Number.isInteger(value) || value >= 99.95;
    return (whole ? value.toFixed(0) : value.toFixed(1)) + " " + units[unit];
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
