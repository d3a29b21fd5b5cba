// Live preview of the story body beside the editor, rendered on the server by the same
// Markdown pipeline as the published page (so what you see is what readers get).
"use strict";
(function () {
  function setUp(textarea) {
    const url = textarea.dataset.markdownPreview;
    const form = textarea.form;
    const token = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!url || !token) return;
    const pane = document.createElement("div");
    pane.className = "markdown-preview";
    pane.setAttribute("aria-live", "polite");
    // A named region: a plain div may not carry a name.
    pane.setAttribute("role", "region");
    pane.setAttribute("aria-label", "Preview of the body");
    textarea.insertAdjacentElement("afterend", pane);
    let timer = null;
    function refresh() {
      const body = new FormData();
      body.append("body", textarea.value);
      fetch(url, { method: "POST", body: body, headers: { "X-CSRFToken": token.value }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          // The server returns sanitised HTML from articles/markup.py.
          pane.innerHTML = data.html || "";
        })
        .catch(function () { pane.textContent = "Preview unavailable."; });
    }
    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    });
    refresh();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-markdown-preview]").forEach(setUp);
  });
})();
