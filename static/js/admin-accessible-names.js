// Names for the admin's scripted controls, which their libraries leave unnamed.
"use strict";
(function () {
  // select2 names its box, and the text box inside it, after the chosen option only, so an
  // empty one has no name at all: name both after the field's label too.
  function nameAutocomplete(select) {
    const box = select.parentElement.querySelector(".select2-selection");
    const shown = box && box.querySelector(".select2-selection__rendered");
    const label = select.id && document.querySelector("label[for='" + select.id + "']");
    if (!shown || !label) return;
    label.id = label.id || select.id + "_label";
    box.setAttribute("aria-labelledby", label.id + " " + shown.id);
    shown.setAttribute("aria-labelledby", label.id);
  }
  // django-admin-sortable2's "move to first / last position" arrows answer clicks only:
  // make them reachable and usable from the keyboard.
  function keyboardArrows(root) {
    root.querySelectorAll("fieldset.sortable .sort i[role=button]").forEach(function (arrow) {
      arrow.tabIndex = 0;
      arrow.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          arrow.click();
          arrow.focus();
        }
      });
    });
  }
  function nameAll(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(nameAutocomplete);
  }
  function start() {
    nameAll(document);
    keyboardArrows(document);
  }
  // select2 boxes are built by the admin's jQuery ready handlers, which may run after this
  // file's; a timeout queued from a ready handler runs once all of them have. Loaded before
  // the admin's jQuery, this file waits for the page's load, and then for those handlers too:
  // jQuery runs them a moment after the document is ready, and a page whose files are all
  // cached may have loaded by then.
  function afterReadyHandlers() {
    window.django.jQuery(function () { setTimeout(start); });
  }
  if (window.django && window.django.jQuery) {
    afterReadyHandlers();
  } else {
    window.addEventListener("load", function () {
      if (window.django && window.django.jQuery) afterReadyHandlers();
      else start();
    });
  }
  // A row added in the browser gets its select2 boxes from another listener of this event.
  document.addEventListener("formset:added", function (event) {
    setTimeout(function () { nameAll(event.target); });
  });
})();
