// The position boxes of a sortable inline whose boxes are shown (the fronts' zones and picks):
// a number typed in a box moves its row there, and the boxes are numbered again from the top,
// as django-admin-sortable2 numbers them after a drag. What is seen is the order that is saved.
"use strict";
(function () {
  const ROWS = "tr.has_original, .inline-related.has_original";

  function rowsOf(fieldset) {
    return Array.from(fieldset.querySelectorAll(ROWS)).filter(function (row) {
      return row.querySelector("input._reorder_:not([type=hidden])");
    });
  }

  function box(row) {
    return row.querySelector("input._reorder_");
  }

  function reorder(fieldset, moved) {
    const rows = rowsOf(fieldset);
    if (rows.length < 2) return;
    const anchor = rows[rows.length - 1].nextSibling;
    const parent = rows[0].parentNode;
    const wanted = function (row) {
      const number = parseInt(box(row).value, 10);
      return Number.isNaN(number) ? Infinity : number;
    };
    // A row given the number another row has goes before it: that is the place asked for.
    const order = rows
      .map(function (row, index) { return { row: row, index: index }; })
      .sort(function (a, b) {
        return wanted(a.row) - wanted(b.row)
          || (a.row === moved ? -1 : b.row === moved ? 1 : a.index - b.index);
      });
    order.forEach(function (item, index) {
      parent.insertBefore(item.row, anchor);
      box(item.row).value = String(index + 1);
    });
    // Moving a row takes the focus from it: give it back.
    box(moved).focus();
  }

  document.addEventListener("change", function (event) {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.classList.contains("_reorder_")) return;
    const fieldset = input.closest("fieldset.sortable");
    const row = input.closest(ROWS);
    if (fieldset && row) reorder(fieldset, row);
  });
})();
