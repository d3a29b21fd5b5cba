// Counts characters as the editor types, beside each field that says its limit
// (data-count-limit, set by the story form). Without JavaScript the help text still says the
// limit, and the server still refuses what is too long, keeping the text.
"use strict";
(function () {
  function setUp(field) {
    const limit = Number(field.dataset.countLimit);
    const counter = document.createElement("div");
    // Under the field, lined up with its help text (the admin puts label and field in a row).
    counter.className = "help newsroom-count";
    counter.id = field.id + "_count";
    (field.closest(".flex-container") || field).insertAdjacentElement("afterend", counter);
    const described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", described ? described + " " + counter.id : counter.id);
    function update() {
      const length = Array.from(field.value).length;
      const over = length - limit;
      counter.textContent = length + " of " + limit + " characters" + (over > 0 ? ": " + over + " too many" : "");
      counter.classList.toggle("newsroom-count--over", over > 0);
    }
    field.addEventListener("input", update);
    update();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-count-limit]").forEach(setUp);
  });
})();
