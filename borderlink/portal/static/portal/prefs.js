// Runs in <head>, before the page is drawn: applies the visitor's saved text size and contrast
// (kept in this browser's localStorage, never sent to the server).
(function () {
  var root = document.documentElement;
  try {
    var size = window.localStorage.getItem("portal.textSize");
    if (size && /^-?[0-9]$/.test(size)) {
      root.setAttribute("data-text-size", size);
    }
    if (window.localStorage.getItem("portal.contrast") === "high") {
      root.setAttribute("data-contrast", "high");
      root.setAttribute("data-bs-theme", "dark");
    }
  } catch (error) {
    // Storage refused (private mode, policy): the page keeps its defaults.
  }
})();
