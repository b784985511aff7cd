// Date boxes in the page's language (borderlink/core/dates.py draws them): a picker with the
// language's month and day names, started here because the pages allow no inline script.
// The box stays a text box: what is typed is read by the same rules as on the server, and a
// text that cannot be read is left as typed (the server then names the expected format)
// instead of being silently replaced, as the picker would do on its own.
(() => {
  "use strict";
  if (typeof Datepicker === "undefined") {
    return;
  }
  const YEAR = "([1-9]\\d{3})";
  const ISO = new RegExp(`^${YEAR}-(\\d{1,2})-(\\d{1,2})$`);
  const DMY = new RegExp(`^(\\d{1,2})[/.\\-](\\d{1,2})[/.\\-]${YEAR}$`);
  const DMY_SLASH = new RegExp(`^(\\d{1,2})/(\\d{1,2})/${YEAR}$`);
  const DMY_DIGITS = new RegExp(`^(\\d{2})(\\d{2})${YEAR}$`);
  const YMD = new RegExp(`^${YEAR}[/.](\\d{1,2})[/.](\\d{1,2})$`);
  const YMD_DIGITS = new RegExp(`^${YEAR}(\\d{2})(\\d{2})$`);
  const YMD_CHINESE = new RegExp(`^${YEAR}\\s*年\\s*(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*日?$`);

  // Every [year, month, day] read from text: the language's forms, then ISO, then dd/mm/yyyy.
  function candidates(text, order) {
    const found = [];
    const add = (pattern, indexes) => {
      const match = pattern.exec(text);
      if (match) found.push(indexes.map((i) => Number(match[i])));
    };
    if (order === "ymd") {
      [YMD, YMD_DIGITS, YMD_CHINESE].forEach((pattern) => add(pattern, [1, 2, 3]));
    } else {
      [DMY, DMY_DIGITS].forEach((pattern) => add(pattern, [3, 2, 1]));
    }
    add(ISO, [1, 2, 3]);
    add(DMY_SLASH, [3, 2, 1]);
    return found;
  }

  // The first reading that is a day of the calendar, or NaN (29/02/2025 is not one).
  function read(text, order) {
    for (const [year, month, day] of candidates((text || "").trim(), order)) {
      const date = new Date(year, month - 1, day);
      if (date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day) {
        return date;
      }
    }
    return NaN;
  }

  function pad(number) {
    return String(number).padStart(2, "0");
  }

  function show(date, order) {
    const [y, m, d] = [date.getFullYear(), pad(date.getMonth() + 1), pad(date.getDate())];
    return order === "ymd" ? `${y}-${m}-${d}` : `${d}/${m}/${y}`;
  }

  // A calendar drawn in SVG: an emoji needs a font the machine may not have.
  function calendarIcon() {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute(
      "d",
      "M4 0a.5.5 0 0 1 .5.5V1h7V.5a.5.5 0 0 1 1 0V1H14a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H2a2 2 0 0 " +
        "1-2-2V3a2 2 0 0 1 2-2h1.5V.5A.5.5 0 0 1 4 0zM1 5v9a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V5H1z" +
        "m2 2h2v2H3V7zm4 0h2v2H7V7zm4 0h2v2h-2V7zM3 11h2v2H3v-2zm4 0h2v2H7v-2z",
    );
    svg.append(path);
    return svg;
  }

  function start(input) {
    const order = input.dataset.dateOrder || "dmy";
    const typed = input.value;
    // Enter while the calendar is open picks the day and must not also send the form (this
    // listener runs before the picker's own, while it is still open).
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && input.datepicker && input.datepicker.picker.active) {
        event.preventDefault();
      }
    });
    const picker = new Datepicker(input, {
      language: input.dataset.dateLanguage || "vi",
      format: {
        toValue: (text) => read(text, order),
        toDisplay: (date) => show(date, order),
      },
      autohide: true,
      showOnFocus: false,
      showOnClick: false,
      todayButton: true,
      todayButtonMode: 1,
      todayHighlight: true,
      weekStart: 1,
      buttonClass: "btn",
    });
    // Keep what the server sent back with an error (the picker empties what it cannot read).
    if (input.value !== typed) {
      input.value = typed;
    }
    let text = input.value;
    input.addEventListener("input", () => {
      text = input.value;
    });
    input.addEventListener("blur", () => {
      const unreadable = text.trim() !== "" && Number.isNaN(read(text, order));
      if (unreadable) {
        setTimeout(() => {
          input.value = text;
        });
      }
    });
    input.addEventListener("changeDate", () => {
      text = input.value;
    });

    // A button beside the box opens the calendar; from the keyboard, ↓ opens it, the arrows
    // move, Enter picks, Escape closes (the picker's own keys).
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary bl-date-button";
    button.tabIndex = -1;
    button.setAttribute("aria-label", input.dataset.datePickerLabel || "Calendar");
    button.title = button.getAttribute("aria-label");
    button.append(calendarIcon());
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", () => {
      input.focus();
      picker.toggle();
    });
    if (input.parentElement.classList.contains("input-group")) {
      input.after(button); // a from–to pair already in a group: one button after each box
    } else {
      const wrapper = document.createElement("div");
      wrapper.className = "input-group bl-date";
      input.parentNode.insertBefore(wrapper, input);
      wrapper.append(input, button);
    }
  }

  function startAll(root) {
    root.querySelectorAll("input[data-date-picker]").forEach((input) => {
      if (!input.datepicker) start(input);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => startAll(document));
  } else {
    startAll(document);
  }
  // Forms that htmx swaps in get their pickers too.
  document.addEventListener("htmx:afterSettle", (event) => startAll(event.target));
})();
