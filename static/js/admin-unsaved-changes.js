// Asks before leaving the story form with changes that are not saved. The form's state is
// compared with the one it loaded with, so select boxes, autocomplete and inline rows count
// too, and typing something back to how it was does not. Submitting the form is leaving on
// purpose; a button that opens its result in another tab (Preview) is not.
"use strict";
(function () {
  function snapshot(form) {
    const parts = [];
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") return;
      parts.push(name + "=" + (value instanceof File ? value.name + ":" + value.size : value));
    });
    return parts.join("&");
  }
  window.addEventListener("load", function () {
    const form = document.querySelector("#content-main form[method=post]");
    if (!form) return;
    const loaded = snapshot(form);
    let leaving = false;
    form.addEventListener("submit", function (event) {
      const button = event.submitter;
      const target = button && button.hasAttribute("formtarget") ? button.formTarget : form.target;
      if (target !== "_blank") leaving = true;
    });
    window.addEventListener("beforeunload", function (event) {
      if (leaving || snapshot(form) === loaded) return;
      event.preventDefault();
      event.returnValue = "";
    });
  });
})();
