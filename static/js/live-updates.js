// New entries on a live story's open page, without a reload. The page is complete without this
// script; with it, the page asks the updates fragment (live/updates.py) for entries newer than
// the newest it has, at the interval the server gives, and offers them behind an
// "N new updates" button announced in the stream's aria-live region. Inserting them above the
// reader's view keeps the reader where they were. It stops when the coverage has ended, rests
// while the tab is hidden, and waits longer after each failure.
"use strict";
(function () {
  const stream = document.getElementById("live-stream");
  if (!stream || !stream.dataset.updatesUrl || !window.fetch || !window.DOMParser) return;
  const region = stream.querySelector(".live-stream__new");
  if (!region) return;

  const LONGEST_WAIT = 600;
  let after = stream.dataset.after || "0";
  let seconds = interval(stream.dataset.pollSeconds, 15);
  let ended = stream.dataset.ended === "true";
  let more = false; // more new entries than one fragment carries: a reload shows them all
  let pending = []; // entries received, not yet shown, newest first
  let failures = 0;
  let timer = null;
  let asking = false;
  let button = null;

  function interval(value, fallback) {
    const n = parseInt(value, 10);
    return n > 0 ? Math.min(n, 3600) : fallback;
  }

  function onPage(id) {
    return document.getElementById("entry-" + id) !== null;
  }

  // The top of the stream's entries: new ones go before the first entry that is not the pinned copy.
  function firstEntry() {
    return stream.querySelector("[data-entry]:not(.entry--pinned)");
  }

  // Runs ``change``; if it adds height above the reader's view, scrolls by as much, so that what
  // they were reading stays where it was.
  function keepingPlace(change) {
    if (region.getBoundingClientRect().bottom > 0) {
      change();
      return;
    }
    const seen = Array.prototype.find.call(
      stream.querySelectorAll("[data-entry]"),
      function (item) {
        return item.getBoundingClientRect().bottom > 0;
      },
    );
    const top = seen ? seen.getBoundingClientRect().top : 0;
    change();
    if (seen) window.scrollBy(0, seen.getBoundingClientRect().top - top);
  }

  function label() {
    if (more) return "More new updates: reload the page";
    return pending.length === 1 ? "1 new update" : pending.length + " new updates";
  }

  function offer() {
    keepingPlace(function () {
      if (!button) {
        button = document.createElement("button");
        button.type = "button";
        button.className = "live-stream__show";
        button.addEventListener("click", show);
        region.replaceChildren(button);
      }
      button.textContent = label();
    });
  }

  function show() {
    if (more) {
      window.location.reload();
      return;
    }
    const before = firstEntry();
    const parent = before ? before.parentNode : region.parentNode;
    const next = before || region.nextSibling;
    const shown = pending.filter(function (item) {
      return !onPage(item.dataset.entry);
    });
    shown.forEach(function (item) {
      parent.insertBefore(item, next);
    });
    pending = [];
    button = null;
    region.replaceChildren();
    region.textContent = shown.length === 1 ? "1 update shown" : shown.length + " updates shown";
    if (shown.length) {
      // Keyboard and screen-reader users land on the newest entry, where the button was.
      shown[0].tabIndex = -1;
      shown[0].focus({ preventScroll: true });
    }
  }

  function receive(html) {
    const root = new DOMParser().parseFromString(html, "text/html").querySelector(".live-updates");
    if (!root) throw new Error("not an updates fragment");
    seconds = interval(root.dataset.pollSeconds, seconds);
    ended = root.dataset.ended === "true";
    more = more || root.dataset.more === "true";
    after = root.dataset.newest || after;
    const waiting = new Set(
      pending.map(function (item) {
        return item.dataset.entry;
      }),
    );
    const fresh = Array.prototype.filter.call(
      root.querySelectorAll(":scope > [data-entry]"),
      function (item) {
        return !onPage(item.dataset.entry) && !waiting.has(item.dataset.entry);
      },
    );
    if (fresh.length || more) {
      pending = fresh.map(function (item) {
        return document.importNode(item, true);
      }).concat(pending);
      offer();
    }
  }

  function schedule(wait) {
    clearTimeout(timer);
    timer = null;
    if (ended || more || document.hidden) return;
    timer = setTimeout(ask, wait * 1000);
  }

  function ask() {
    timer = null;
    if (asking || ended || more || document.hidden) return;
    asking = true;
    const url = stream.dataset.updatesUrl + "?after=" + encodeURIComponent(after);
    // "no-cache": always ask, and let the browser revalidate with the fragment's ETag (a 304).
    fetch(url, { cache: "no-cache", credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 404 || response.status === 410) {
          ended = true; // the story is gone: nothing more will come
          return null;
        }
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        if (html !== null) receive(html);
        failures = 0;
        asking = false;
        schedule(seconds);
      })
      .catch(function () {
        failures += 1;
        asking = false;
        schedule(Math.min(seconds * Math.pow(2, failures), LONGEST_WAIT));
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      clearTimeout(timer);
      timer = null;
    } else if (!timer && !asking) {
      ask();
    }
  });

  schedule(seconds);
})();
