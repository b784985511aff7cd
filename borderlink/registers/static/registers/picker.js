// Type-ahead pickers over code boxes (registers/pickers.py): the WAI-ARIA combobox pattern
// (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/), list autocomplete, no library.
//
// The page draws a plain code box (name="home_unit", value "VN-P02"); without JavaScript that
// box is the field. Here the box becomes the combobox the user types names into, and a hidden
// input of the same name carries the codes to the server. Text typed and not chosen is sent as
// typed, so codes still work typed by hand. A box with data-picker-multiple keeps its choices
// as removable chips (codes joined by "; ", as the server reads them).
(() => {
  "use strict";
  const WAIT_MS = 180;
  let made = 0;

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, (_m, key) => String(values[key] ?? ""));
  }

  function splitCodes(text) {
    return text.split(/[;,]/).map((c) => c.trim()).filter(Boolean);
  }

  function labelOf(box) {
    return box.id ? document.querySelector(`label[for="${CSS.escape(box.id)}"]`) : null;
  }

  function enhance(box) {
    if (box.dataset.pickerReady !== undefined) return;
    box.dataset.pickerReady = "";
    const n = ++made;
    const multiple = box.dataset.pickerMultiple !== undefined;
    const messages = {
      none: box.dataset.pickerNone || "",
      count: box.dataset.pickerCount || "%(count)s",
      remove: box.dataset.pickerRemove || "× %(name)s",
      chosen: box.dataset.pickerChosen || "",
    };

    // The codes travel in a hidden input; the box keeps its id (its label still names it).
    const hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = box.name;
    hidden.value = box.value;
    box.removeAttribute("name");
    box.insertAdjacentElement("afterend", hidden);

    const wrapper = document.createElement("div");
    wrapper.className = "bl-picker";
    box.parentNode.insertBefore(wrapper, box);
    wrapper.appendChild(box);
    wrapper.appendChild(hidden);

    const label = labelOf(box);
    if (label && !label.id) label.id = `${box.id || "picker"}-label-${n}`;

    const list = document.createElement("ul");
    list.id = `bl-picker-list-${n}`;
    list.className = "bl-picker-list";
    list.setAttribute("role", "listbox");
    if (label) list.setAttribute("aria-labelledby", label.id);
    list.hidden = true;
    wrapper.appendChild(list);

    const empty = document.createElement("div");
    empty.className = "bl-picker-empty form-text";
    empty.textContent = messages.none;
    empty.hidden = true;
    wrapper.appendChild(empty);

    const status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    wrapper.appendChild(status);

    let chips = null;
    if (multiple) {
      chips = document.createElement("ul");
      chips.className = "bl-picker-chips list-unstyled";
      const chipsLabel = `${label ? label.textContent.replace("*", "").trim() : ""}: ${messages.chosen}`;
      chips.setAttribute("aria-label", chipsLabel);
      wrapper.insertBefore(chips, box);
    }

    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-expanded", "false");
    box.setAttribute("aria-controls", list.id);
    box.setAttribute("autocomplete", "off");
    if (box.dataset.pickerPlaceholder) box.placeholder = box.dataset.pickerPlaceholder;

    let options = []; // {value, label, detail}
    let active = -1;
    let chosen = null; // single: the choice the box shows
    let timer = 0;
    let asked = 0;

    function endpoint(params) {
      const url = new URL(box.dataset.pickerUrl, window.location.href);
      for (const [key, value] of params) url.searchParams.append(key, value);
      const on = box.dataset.pickerOn && box.form ? box.form.elements.namedItem(box.dataset.pickerOn) : null;
      if (on && "value" in on && on.value) url.searchParams.set("on", on.value);
      return url;
    }

    async function ask(params) {
      try {
        const response = await fetch(endpoint(params), {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        if (!response.ok) return [];
        return (await response.json()).results || [];
      } catch (_error) {
        return []; // offline or refused: the box still takes a typed code
      }
    }

    function chipCodes() {
      return chips ? [...chips.querySelectorAll("li")].map((li) => li.dataset.value) : [];
    }

    // What the server receives: the choices, and whatever is typed and not chosen, as codes.
    function sync() {
      if (multiple) {
        hidden.value = [...chipCodes(), ...splitCodes(box.value)].join("; ");
      } else if (chosen && box.value === chosen.label) {
        hidden.value = chosen.value;
      } else {
        chosen = null;
        hidden.value = box.value.trim();
      }
    }

    function addChip(choice) {
      if (chipCodes().includes(choice.value)) return;
      const li = document.createElement("li");
      li.className = "bl-picker-chip";
      li.dataset.value = choice.value;
      const text = document.createElement("span");
      text.textContent = choice.label;
      if (choice.detail) text.title = choice.detail;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn-close";
      remove.setAttribute("aria-label", format(messages.remove, { name: choice.label }));
      remove.addEventListener("click", () => {
        li.remove();
        sync();
        box.focus();
      });
      li.append(text, remove);
      chips.appendChild(li);
    }

    function close() {
      list.hidden = true;
      empty.hidden = true;
      box.setAttribute("aria-expanded", "false");
      box.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      const items = list.querySelectorAll("[role=option]");
      items.forEach((item, i) => item.setAttribute("aria-selected", i === index ? "true" : "false"));
      active = index;
      if (index >= 0 && items[index]) {
        box.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        box.removeAttribute("aria-activedescendant");
      }
    }

    function show(results, text, first) {
      options = results;
      list.replaceChildren();
      results.forEach((choice, i) => {
        const item = document.createElement("li");
        item.id = `${list.id}-${i}`;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.dataset.value = choice.value;
        const name = document.createElement("span");
        name.className = "bl-picker-name";
        name.textContent = choice.label;
        item.appendChild(name);
        if (choice.detail) {
          const detail = document.createElement("span");
          detail.className = "bl-picker-detail";
          detail.textContent = choice.detail;
          item.appendChild(detail);
        }
        // Keep the focus in the box: a click chooses without blurring it first.
        item.addEventListener("mousedown", (event) => event.preventDefault());
        item.addEventListener("click", () => choose(i));
        list.appendChild(item);
      });
      if (document.activeElement !== box) return;
      // No match is said beside the box, not as an empty list; nothing typed, nothing said.
      status.textContent = results.length
        ? format(messages.count, { count: results.length })
        : text ? messages.none : "";
      if (!results.length) {
        close();
        empty.hidden = !text;
        return;
      }
      empty.hidden = true;
      list.hidden = false;
      box.setAttribute("aria-expanded", "true");
      highlight(first ? 0 : -1);
    }

    function choose(index) {
      const choice = options[index];
      if (!choice) return;
      if (multiple) {
        addChip(choice);
        box.value = "";
      } else {
        chosen = choice;
        box.value = choice.label;
      }
      sync();
      close();
      box.dispatchEvent(new Event("change", { bubbles: true }));
    }

    async function search(first = false) {
      const mine = ++asked;
      const text = box.value.trim();
      const results = await ask([["q", text]]);
      if (mine === asked) show(results, text, first);
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, WAIT_MS);
    }

    box.addEventListener("input", () => {
      sync();
      status.textContent = ""; // until the new answer is in
      later();
    });
    box.addEventListener("blur", () => {
      window.clearTimeout(timer);
      asked++;
      close();
    });
    box.addEventListener("keydown", (event) => {
      const open = !list.hidden;
      switch (event.key) {
        case "ArrowDown":
          // Opens the list (for an empty box: the user's own units, the newest records).
          event.preventDefault();
          if (!open) {
            search(true);
          } else if (options.length) {
            highlight((active + 1) % options.length);
          }
          break;
        case "ArrowUp":
          if (open && options.length) {
            event.preventDefault();
            highlight(active <= 0 ? options.length - 1 : active - 1);
          }
          break;
        case "Enter":
          if (open && active >= 0) {
            event.preventDefault(); // choosing must not submit the form
            choose(active);
          }
          break;
        case "Escape":
          if (open) {
            event.preventDefault();
            close();
          } else if (!multiple && box.value) {
            box.value = "";
            sync();
          }
          break;
        case "Backspace":
          if (multiple && !box.value && chips.lastElementChild) {
            chips.lastElementChild.remove();
            sync();
          }
          break;
        default:
      }
    });

    // The value the page came with: show names for its codes (those the user may see).
    const initialText = box.value;
    const initial = splitCodes(hidden.value);
    if (initial.length) {
      ask(initial.map((code) => ["code", code])).then((results) => {
        if (box.value !== initialText) return; // the user has typed meanwhile: theirs stands
        const known = new Map(results.map((r) => [r.value, r]));
        if (multiple) {
          initial.forEach((code) => addChip(known.get(code) || { value: code, label: code }));
          box.value = "";
        } else if (known.has(initial[0])) {
          chosen = known.get(initial[0]);
          box.value = chosen.label;
          box.title = chosen.detail || "";
        }
        sync();
      });
    }
  }

  function enhanceAll(root) {
    root.querySelectorAll("input[data-picker-url]").forEach(enhance);
  }

  enhanceAll(document);
  // Forms swapped in by htmx get their pickers too.
  document.addEventListener("htmx:afterSwap", (event) => enhanceAll(event.target));
})();
