// The public site's behaviour: text size (A- A A+) and contrast remembered in localStorage, and
// one visit counted per page shown. No inline script anywhere, no cookie, nothing third-party.
(function () {
  var root = document.documentElement;
  var MIN = -1;
  var MAX = 3;
  var SCALE = { "-1": "87.5%", "0": "100%", "1": "112.5%", "2": "125%", "3": "150%" };

  function store(key, value) {
    try {
      if (value === null) {
        window.localStorage.removeItem(key);
      } else {
        window.localStorage.setItem(key, value);
      }
    } catch (error) {
      // Not remembered, but still applied to this page.
    }
  }

  function currentSize() {
    var size = parseInt(root.getAttribute("data-text-size") || "0", 10);
    return isNaN(size) ? 0 : Math.min(MAX, Math.max(MIN, size));
  }

  var group = document.querySelector(".portal-display");
  var status = document.querySelector("[data-display-status]");

  function announce() {
    if (!status || !group) {
      return;
    }
    var high = root.getAttribute("data-contrast") === "high";
    status.textContent = (group.getAttribute("data-status-size") || "") + " " + SCALE[String(currentSize())] +
      (high ? " · " + (group.getAttribute("data-status-contrast") || "") : "");
  }

  function setSize(size) {
    size = Math.min(MAX, Math.max(MIN, size));
    if (size === 0) {
      root.removeAttribute("data-text-size");
      store("portal.textSize", null);
    } else {
      root.setAttribute("data-text-size", String(size));
      store("portal.textSize", String(size));
    }
    announce();
  }

  function setContrast(high) {
    if (high) {
      root.setAttribute("data-contrast", "high");
      root.setAttribute("data-bs-theme", "dark");
      store("portal.contrast", "high");
    } else {
      root.removeAttribute("data-contrast");
      root.removeAttribute("data-bs-theme");
      store("portal.contrast", null);
    }
    var toggle = document.querySelector("[data-contrast-toggle]");
    if (toggle) {
      toggle.setAttribute("aria-pressed", high ? "true" : "false");
    }
    announce();
  }

  if (group) {
    group.hidden = false;
    group.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) {
        return;
      }
      var action = button.getAttribute("data-text-size");
      if (action === "smaller") {
        setSize(currentSize() - 1);
      } else if (action === "larger") {
        setSize(currentSize() + 1);
      } else if (action === "normal") {
        setSize(0);
      } else if (button.hasAttribute("data-contrast-toggle")) {
        setContrast(root.getAttribute("data-contrast") !== "high");
      }
    });
    var toggle = document.querySelector("[data-contrast-toggle]");
    if (toggle) {
      toggle.setAttribute("aria-pressed", root.getAttribute("data-contrast") === "high" ? "true" : "false");
    }
  }

  // One page view: a POST with no body and no credentials. The server adds one to the day's
  // total and keeps nothing about the visitor.
  var script = document.getElementById("portal-script");
  var url = script && script.getAttribute("data-visit-url");
  if (url && window.fetch) {
    window.fetch(url, { method: "POST", credentials: "omit", keepalive: true, cache: "no-store" })
      .catch(function () { /* a lost count is not worth an error */ });
  }
})();
