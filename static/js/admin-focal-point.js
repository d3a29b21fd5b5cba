// The focal-point picker on a picture (the .focal-point the form draws): a click on the picture,
// or the arrow keys once it has the focus (Shift for larger steps), sets the two number boxes it
// names (data-focal-x, data-focal-y), and a marker shows the point. The boxes stay the real
// inputs: typing in them moves the marker, and without JavaScript they are the whole control.
"use strict";
(function () {
  const STEP = 0.01;
  const LARGE_STEP = 0.1;
  const MOVES = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

  function fraction(value) {
    return Math.round(Math.min(1, Math.max(0, value)) * 1000) / 1000;
  }

  function read(box) {
    const value = parseFloat(box.value);
    return Number.isFinite(value) ? fraction(value) : 0.5;
  }

  function percent(value) {
    return Math.round(value * 100) + "%";
  }

  function setUp(picker) {
    const across = document.getElementById(picker.dataset.focalX);
    const down = document.getElementById(picker.dataset.focalY);
    const picture = picker.querySelector(".focal-point__picture");
    const marker = picker.querySelector(".focal-point__marker");
    if (!across || !down || !picture || !marker) return;
    // One control for a point in two directions, announced as both (as colour pickers do).
    picker.tabIndex = 0;
    picker.setAttribute("role", "slider");
    picker.setAttribute("aria-label", "Focal point: click the picture or use the arrow keys");
    picker.setAttribute("aria-valuemin", "0");
    picker.setAttribute("aria-valuemax", "100");
    picker.classList.add("focal-point--active");

    function show() {
      const x = read(across);
      const y = read(down);
      marker.style.left = x * 100 + "%";
      marker.style.top = y * 100 + "%";
      marker.hidden = false;
      picker.setAttribute("aria-valuenow", String(Math.round(x * 100)));
      picker.setAttribute("aria-valuetext", percent(x) + " across, " + percent(y) + " down");
    }

    function set(x, y) {
      across.value = fraction(x);
      down.value = fraction(y);
      // As if typed: the unsaved-changes guard and anything else listening hear of it.
      [across, down].forEach(function (box) {
        box.dispatchEvent(new Event("input", { bubbles: true }));
        box.dispatchEvent(new Event("change", { bubbles: true }));
      });
      show();
    }

    picker.addEventListener("click", function (event) {
      const area = picture.getBoundingClientRect();
      if (!area.width || !area.height) return;
      set((event.clientX - area.left) / area.width, (event.clientY - area.top) / area.height);
    });
    picker.addEventListener("keydown", function (event) {
      const move = MOVES[event.key];
      if (!move) return;
      event.preventDefault();
      const step = event.shiftKey ? LARGE_STEP : STEP;
      set(read(across) + move[0] * step, read(down) + move[1] * step);
    });
    across.addEventListener("input", show);
    down.addEventListener("input", show);
    show();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".focal-point[data-focal-x]").forEach(setUp);
  });
})();
