// The monthly log sheet (ledger/sheet.py): each cell is saved on its own as the officer leaves
// it, so a weak connection loses at most one cell and the page says which one failed and why.
// Totals follow the typing; arrow keys, Tab and Enter move between cells like a paper grid.
(() => {
  const table = document.getElementById("sheet");
  if (!table || !table.classList.contains("sheet-editable")) return;
  const form = document.getElementById("sheet-form");
  const status = document.getElementById("sheet-status");
  const lang = document.documentElement.lang || "vi";
  const numbers = new Intl.NumberFormat(lang);
  const inputs = Array.from(table.querySelectorAll("input.sheet-input"));
  const columns = Array.from(table.querySelectorAll("thead th[id^='h-']"))
    .map((th) => th.id.slice(2))
    .filter((key) => key !== "day" && key !== "total");
  const rows = Array.from(table.querySelectorAll("tbody tr.sheet-day"));

  // A count as typed: digits, maybe grouped (1.456 / 1,456); NaN when it is not a count.
  const parse = (text) => {
    const t = text.replace(/\s/g, "");
    if (t === "") return 0;
    if (/^\d{1,3}([.,]\d{3})+$/.test(t)) return Number(t.replace(/[.,]/g, ""));
    return /^\d+$/.test(t) ? Number(t) : NaN;
  };
  const cellValue = (td) => {
    const input = td.querySelector("input.sheet-input");
    if (input) return parse(input.value) || 0;
    const shown = td.querySelector("[data-value]");
    return shown ? Number(shown.dataset.value) || 0 : 0;
  };

  const totals = () => {
    const byColumn = Object.fromEntries(columns.map((key) => [key, 0]));
    let all = 0;
    for (const row of rows) {
      let day = 0;
      for (const td of row.querySelectorAll("td[data-col]")) {
        const value = cellValue(td);
        byColumn[td.dataset.col] += value;
        if (td.hasAttribute("data-in-total")) day += value;
      }
      all += day;
      document.getElementById(`t-day-${row.dataset.day}`).textContent = numbers.format(day);
    }
    for (const key of columns) {
      document.getElementById(`t-col-${key}`).textContent = numbers.format(byColumn[key]);
    }
    document.getElementById("t-all").textContent = numbers.format(all);
  };

  // Moving: a grid of the inputs by day (row) and column; cells without an input are skipped.
  const position = (input) => [rows.indexOf(input.closest("tr")), columns.indexOf(input.dataset.col)];
  const at = (row, col) =>
    rows[row] && rows[row].querySelector(`input.sheet-input[data-col="${columns[col]}"]`);
  const move = (input, dRow, dCol) => {
    let [row, col] = position(input);
    for (;;) {
      row += dRow;
      col += dCol;
      if (row < 0 || row >= rows.length || col < 0 || col >= columns.length) return;
      const next = at(row, col);
      if (next) {
        next.focus();
        return;
      }
    }
  };

  const say = (text) => {
    status.textContent = text;
  };
  const label = (input) =>
    input
      .getAttribute("aria-labelledby")
      .split(" ")
      .map((id) => document.getElementById(id).textContent.trim())
      .join(", ");
  const wasField = (input) => form.elements[`was-${input.name}`];
  const showError = (input, message) => {
    input.classList.add("is-invalid");
    input.setAttribute("aria-invalid", "true");
    document.getElementById(`e-${input.name}`).textContent = message;
    say(`${label(input)}: ${message}`);
  };
  const clearError = (input) => {
    input.classList.remove("is-invalid");
    input.removeAttribute("aria-invalid");
    document.getElementById(`e-${input.name}`).textContent = "";
  };

  // The day's other cells as the server has them now (clearing a hand-over clears its
  // persons); a cell the officer has changed and not yet saved is left alone.
  const refreshDay = (dayNumber, cells) => {
    for (const [key, cell] of Object.entries(cells || {})) {
      const input = table.querySelector(`input.sheet-input[data-day="${dayNumber}"][data-col="${key}"]`);
      if (!input || cell.several) continue;
      const was = wasField(input);
      if (input.value.trim() === was.value && document.activeElement !== input) {
        input.value = cell.value === null ? "" : String(cell.value);
      }
      if (input.value.trim() === was.value) was.value = cell.value === null ? "" : String(cell.value);
    }
  };

  // One save at a time, in the order typed: a day's persons need its hand-over saved first,
  // and a weak connection carries one request at a time better than many.
  let queue = Promise.resolve();
  const save = (input) => {
    // A failure never stops the queue: the next cell is still sent.
    queue = queue.then(() => send(input)).catch((error) => console.error(error));
    return queue;
  };
  const send = async (input) => {
    const typed = input.value.trim();
    const was = wasField(input);
    if (typed === was.value) return;
    const body = new URLSearchParams({
      day: input.dataset.day,
      column: input.dataset.col,
      value: typed,
      was: was.value,
    });
    input.classList.add("is-saving");
    input.classList.remove("is-saved");
    let response;
    let answer;
    try {
      response = await fetch(table.dataset.cellUrl, {
        method: "POST",
        headers: { "X-CSRFToken": form.elements.csrfmiddlewaretoken.value },
        body,
        credentials: "same-origin",
      });
    } catch (error) {
      input.classList.remove("is-saving");
      showError(input, table.dataset.msgOffline);
      return;
    }
    try {
      answer = await response.json();
    } catch (error) {
      // Not the sheet's answer: a login page after the session ended, a server error.
      input.classList.remove("is-saving");
      showError(input, table.dataset.msgFailed.replace("{status}", String(response.redirected ? 302 : response.status)));
      return;
    }
    input.classList.remove("is-saving");
    if (answer.ok) {
      was.value = answer.value === null ? "" : String(answer.value);
      if (input.value.trim() === typed) input.value = was.value;
      clearError(input);
      input.classList.add("is-saved");
      refreshDay(input.dataset.day, answer.cells);
      say(`${label(input)}: ${answer.value === null ? table.dataset.msgCleared : table.dataset.msgSaved}`);
    } else {
      // The typed number stays; the hidden "was" takes the value the server has now, so that
      // saving again (after reading the reason) is knowingly over it.
      if ("current" in answer) was.value = answer.current === null ? "" : String(answer.current);
      showError(input, answer.message);
    }
    totals();
  };

  // "Save the sheet": the cells not saved yet (a dropped connection), one by one as above, so
  // that nothing is sent twice; then the page again, from the server.
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    for (const input of inputs) {
      if (input.value.trim() !== wasField(input).value) save(input);
    }
    await queue;
    const failed = inputs.find((input) => input.getAttribute("aria-invalid") === "true");
    if (failed) {
      failed.focus();
      say(`${label(failed)}: ${document.getElementById(`e-${failed.name}`).textContent}`);
      return;
    }
    form.submit();
  });

  for (const input of inputs) {
    input.addEventListener("focus", () => input.select());
    input.addEventListener("input", () => {
      input.classList.remove("is-saved");
      totals();
    });
    input.addEventListener("change", () => save(input));
    input.addEventListener("keydown", (event) => {
      // Counts are a few digits: arrows move between cells, as on a spreadsheet being typed.
      const moves = {
        ArrowUp: [-1, 0],
        ArrowDown: [1, 0],
        Enter: [event.shiftKey ? -1 : 1, 0],
        ArrowLeft: [0, -1],
        ArrowRight: [0, 1],
      };
      const step = moves[event.key];
      if (!step || event.altKey || event.ctrlKey || event.metaKey) return;
      event.preventDefault(); // Enter would submit the whole sheet
      if (event.key === "Enter") save(input); // also on the last day, where focus stays
      move(input, step[0], step[1]);
    });
  }
})();
