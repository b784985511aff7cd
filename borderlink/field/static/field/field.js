// The field app (borderlink/field/): forms drawn on the device from the description the server
// sent once (scope.json), entries kept in IndexedDB until they are sent, sent in order to one
// endpoint, each with the UUID made here when it was written, so a batch sent twice makes each
// record once. Personal data is kept on the device only encrypted (AES-GCM with a key the
// browser cannot export). Nothing here is inline in the page: the site allows no inline script.
(() => {
  "use strict";

  const app = document.getElementById("field-app");
  const STR = JSON.parse(document.getElementById("field-strings").textContent);
  const URLS = JSON.parse(document.getElementById("field-urls").textContent);
  const USER = app.dataset.user;
  const DB_NAME = `borderlink-field:${USER}`;
  const BATCH = 25;
  const RETRY_MS = [2000, 5000, 15000, 30000, 60000];
  const PHOTO_MAX_SIDE = 1280;

  let scope = null;
  let syncing = false;
  let retries = 0;
  let retryTimer = null;

  // ---- storage -------------------------------------------------------------------------------

  let dbPromise = null;
  let loggingOut = false; // once the store is being wiped, nothing may open (and so recreate) it
  function db() {
    if (loggingOut) return Promise.reject(new Error("logging out"));
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = () => {
          const base = request.result;
          base.createObjectStore("entries", { keyPath: "uuid" });
          base.createObjectStore("meta", { keyPath: "key" });
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    }
    return dbPromise;
  }

  async function store(name, mode, work) {
    const base = await db();
    return new Promise((resolve, reject) => {
      const tx = base.transaction(name, mode);
      const result = work(tx.objectStore(name));
      tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }

  const getMeta = async (key) => {
    const row = await store("meta", "readonly", (s) => s.get(key));
    return row ? row.value : undefined;
  };
  const setMeta = (key, value) => store("meta", "readwrite", (s) => s.put({ key, value }));
  const putEntry = (entry) => store("entries", "readwrite", (s) => s.put(entry));
  const dropEntry = (uuid) => store("entries", "readwrite", (s) => s.delete(uuid));
  async function entries() {
    const all = (await store("entries", "readonly", (s) => s.getAll())) || [];
    return all.sort((a, b) => a.seq - b.seq);
  }

  async function wipe() {
    const base = await db();
    loggingOut = true;
    clearTimeout(retryTimer);
    base.close();
    dbPromise = null;
    await new Promise((resolve) => {
      const request = indexedDB.deleteDatabase(DB_NAME);
      request.onsuccess = request.onerror = () => resolve();
    });
  }

  // ---- personal data: sealed with a key the browser cannot export --------------------------

  async function deviceKey() {
    let key = await getMeta("key");
    if (!key) {
      key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, [
        "encrypt",
        "decrypt",
      ]);
      await setMeta("key", key);
    }
    return key;
  }

  async function seal(value, key) {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const plain = new TextEncoder().encode(JSON.stringify(value));
    const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, plain);
    return { iv: Array.from(iv), data: new Uint8Array(data) };
  }

  async function unseal(sealed, key) {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: new Uint8Array(sealed.iv) },
      key,
      sealed.data,
    );
    return JSON.parse(new TextDecoder().decode(plain));
  }

  // An entry's data: sealed when its form holds personal fields.
  async function dataOf(entry) {
    return entry.sealed ? unseal(entry.sealed, await deviceKey()) : entry.data;
  }

  async function keepData(entry, data) {
    const form = formOf(entry.form);
    if (form && form.personal.length) {
      entry.sealed = await seal(data, await deviceKey());
      entry.data = null;
    } else {
      entry.data = data;
      entry.sealed = null;
    }
  }

  // ---- the scope: forms and reference data ---------------------------------------------------

  async function loadScope() {
    scope = (await getMeta("scope")) || null;
    if (!navigator.onLine) return;
    try {
      const headers = scope ? { "If-None-Match": `"${scope.version}"` } : {};
      const response = await fetch(URLS.scope, { headers, credentials: "same-origin" });
      if (response.status === 200) {
        scope = await response.json();
        await setMeta("scope", scope);
      } else if (response.status === 401 || response.redirected) {
        notice(STR.login_again, "warning");
      }
    } catch (error) {
      // No network after all: the scope kept on the device will do.
    }
  }

  const formOf = (key) => (scope ? scope.forms.find((f) => f.key === key) : undefined);

  // ---- dates and numbers as the page's language writes them --------------------------------

  const pad = (n) => String(n).padStart(2, "0");
  function showDate(date) {
    const [y, m, d] = [date.getFullYear(), pad(date.getMonth() + 1), pad(date.getDate())];
    return scope.date_order === "ymd" ? `${y}-${m}-${d}` : `${d}/${m}/${y}`;
  }
  function isoDate(text) {
    const value = (text || "").trim();
    let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
    let parts = match ? [match[1], match[2], match[3]] : null;
    if (!parts && scope.date_order === "ymd") {
      match = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/.exec(value);
      parts = match ? [match[1], match[2], match[3]] : null;
    }
    if (!parts) {
      match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value);
      parts = match ? [match[3], match[2], match[1]] : null;
    }
    if (!parts) return null;
    const [y, m, d] = parts.map(Number);
    const date = new Date(y, m - 1, d);
    if (date.getFullYear() !== y || date.getMonth() !== m - 1 || date.getDate() !== d) return null;
    return `${y}-${pad(m)}-${pad(d)}`;
  }
  function fromIso(iso) {
    const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    return match ? showDate(new Date(+match[1], +match[2] - 1, +match[3])) : iso || "";
  }

  // ---- small DOM helpers (text only: nothing typed is ever parsed as HTML) -----------------

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    children.flat().forEach((child) => child && node.append(child));
    return node;
  }

  function notice(text, kind = "info") {
    const old = document.getElementById("field-notice");
    if (old) old.remove();
    app.prepend(el("div", { id: "field-notice", class: `alert alert-${kind}`, role: "status", text }));
  }

  // ---- status --------------------------------------------------------------------------------

  async function showStatus() {
    const online = navigator.onLine;
    const badge = document.getElementById("field-online");
    badge.textContent = online ? STR.online : STR.offline;
    badge.className = `badge ${online ? "is-online" : "is-offline"}`;
    const all = await entries();
    const failed = all.filter((e) => ["refused", "conflict"].includes(e.status)).length;
    const last = await getMeta("lastSync");
    const parts = [`${STR.waiting}: ${all.length}`];
    const when = last ? new Date(last) : null;
    parts.push(`${STR.last_sync}: ${when ? `${showDate(when)} ${pad(when.getHours())}:${pad(when.getMinutes())}` : STR.never}`);
    if (failed) parts.push(`${STR.failures}: ${failed}`);
    const counts = document.getElementById("field-counts");
    counts.textContent = parts.join(" · ");
    counts.dataset.waiting = String(all.length);
    counts.dataset.failed = String(failed);
    document.getElementById("field-send").textContent = syncing ? STR.sending : STR.send_now;
  }

  // ---- the home screen -----------------------------------------------------------------------

  async function showHome() {
    app.replaceChildren();
    if (!scope) {
      notice(STR.no_scope, "warning");
      await showStatus();
      return;
    }
    const tiles = el("div", { class: "field-tiles mb-3", id: "field-tiles" });
    scope.forms
      .filter((f) => !f.parent_field)
      .forEach((form) =>
        tiles.append(
          el("button", {
            class: "btn btn-outline-primary",
            type: "button",
            "data-form": form.key,
            text: form.label,
            onclick: () => showForm(form),
          }),
        ),
      );
    if (scope.sheets && scope.sheets.length) {
      tiles.append(
        el("button", { class: "btn btn-outline-primary", type: "button", "data-form": "sheet", text: STR.sheet, onclick: () => showSheet(scope.sheets.length - 1) }),
      );
    }
    app.append(el("h1", { class: "h5", text: STR.new_entry }), tiles);
    app.append(el("h2", { class: "h6", text: STR.waiting }), await waitingList());
    if (scope.recent.length) {
      app.append(el("h2", { class: "h6 mt-3", text: STR.recent }), recentList());
    }
    app.append(backupTools());
    await showStatus();
  }

  async function waitingList() {
    const list = el("div", { id: "field-waiting" });
    const all = await entries();
    for (const entry of all) list.append(await entryCard(entry, all));
    return list;
  }

  async function entryCard(entry, all) {
    const form = formOf(entry.form);
    const card = el("div", { class: "field-entry", "data-uuid": entry.uuid, "data-status": entry.status });
    card.append(el("div", { class: "fw-semibold", text: entry.summary }));
    const label = { refused: STR.refused, conflict: STR.conflict, waiting: STR.waiting_parent }[entry.status];
    if (label) card.append(el("div", { class: "small text-danger", text: label }));
    for (const [field, messages] of Object.entries(entry.errors || {})) {
      if (entry.status === "conflict") break;
      const name = form ? (form.fields.find((f) => f.name === field) || {}).label : "";
      messages.forEach((m) => card.append(el("div", { class: "small text-danger field-error", text: name ? `${name}: ${m}` : m })));
    }
    if (entry.status === "conflict") card.append(await compare(entry));
    const actions = el("div", { class: "d-flex flex-wrap gap-2 mt-1" });
    if (entry.status === "conflict") {
      actions.append(
        el("button", { class: "btn btn-sm btn-primary", type: "button", "data-action": "keep-mine", text: STR.keep_mine, onclick: () => keepMine(entry) }),
        el("button", { class: "btn btn-sm btn-outline-secondary", type: "button", "data-action": "keep-theirs", text: STR.keep_theirs, onclick: () => remove(entry, false) }),
      );
    } else {
      actions.append(el("button", { class: "btn btn-sm btn-outline-primary", type: "button", "data-action": "edit", text: STR.edit, onclick: () => editEntry(entry) }));
      actions.append(el("button", { class: "btn btn-sm btn-outline-danger", type: "button", "data-action": "delete", text: STR.delete, onclick: () => remove(entry, true) }));
    }
    (form ? form.children : []).forEach((childKey) => {
      const child = formOf(childKey);
      if (!child) return;
      const count = all.filter((e) => e.parent === entry.uuid && e.form === childKey).length;
      if (child.single && count) return; // one head count per hand-over: edited on its own card
      actions.append(
        el("button", {
          class: "btn btn-sm btn-outline-secondary",
          type: "button",
          "data-add-child": childKey,
          text: `${STR.add_child}: ${child.label} (${count})`,
          onclick: () => showForm(child, { parent: entry.uuid }),
        }),
      );
    });
    card.append(actions);
    return card;
  }

  async function compare(entry) {
    const mine = await dataOf(entry);
    const theirs = (entry.server && entry.server.values) || {};
    const table = el("table", { class: "field-compare small mt-1" });
    table.append(el("tr", {}, el("th", { text: "" }), el("th", { text: STR.mine }), el("th", { text: STR.theirs })));
    const labels = Object.fromEntries(editableFields(entry.register).map((f) => [f.name, f.label]));
    if (entry.cell) labels.value = columnLabel(entry.cell.column);
    Object.keys(mine).forEach((name) =>
      table.append(el("tr", {}, el("th", { text: labels[name] || name }), el("td", { text: String(mine[name]) }), el("td", { text: String(theirs[name] ?? "") }))),
    );
    return table;
  }

  async function keepMine(entry) {
    entry.version = entry.server.version;
    entry.status = "queued";
    entry.errors = null;
    entry.server = null;
    await putEntry(entry);
    await showHome();
    syncNow();
  }

  async function remove(entry, ask) {
    if (ask && !window.confirm(STR.delete_confirm)) return;
    for (const other of await entries()) if (other.parent === entry.uuid) await dropEntry(other.uuid);
    await dropEntry(entry.uuid);
    await showHome();
  }

  // Records the device took (recent entries, alerts): a change is an entry like any other.
  function editableFields(register) {
    return (scope.editable && scope.editable[register]) || [];
  }

  function recentList() {
    const list = el("div", { id: "field-recent" });
    scope.recent.forEach((record) => {
      const card = el("div", { class: "field-entry", "data-record": `${record.register}:${record.id}` });
      card.append(el("div", { text: record.title }));
      const button =
        record.register === "alerts"
          ? el("button", {
              class: "btn btn-sm btn-outline-primary mt-1",
              type: "button",
              "data-action": "acknowledge",
              text: STR.acknowledge,
              onclick: () => queueChange(record, { acknowledged_at: new Date().toISOString() }, `${STR.acknowledge}: ${record.title}`),
            })
          : el("button", {
              class: "btn btn-sm btn-outline-primary mt-1",
              type: "button",
              "data-action": "change",
              text: STR.change,
              onclick: () => showForm({ key: "", register: record.register, label: record.title, fields: editableFields(record.register), personal: [], children: [], defaults: {}, preset: {} }, { record }),
            });
      card.append(button);
      list.append(card);
    });
    return list;
  }

  async function queueChange(record, data, summary) {
    const entry = {
      uuid: crypto.randomUUID(),
      seq: Date.now() + Math.random(),
      form: "",
      register: record.register,
      record: record.id,
      version: record.version,
      status: "queued",
      summary,
      created: new Date().toISOString(),
    };
    await keepData(entry, data);
    await putEntry(entry);
    notice(STR.entry_kept, "success");
    await showHome();
    syncNow();
  }

  // ---- a form ----------------------------------------------------------------------------------

  function input(field, value) {
    const id = `f-${field.name}`;
    const attrs = { id, name: field.name, required: field.required, "aria-describedby": `${id}-error` };
    let control;
    if (field.type === "select" || field.type === "link") {
      const choices = field.type === "select" ? field.choices : scope.options[field.options] || [];
      control = el("select", { ...attrs, class: "form-select" });
      if (!field.required || !value) control.append(el("option", { value: "", text: "—" }));
      choices.forEach(([code, label]) => control.append(el("option", { value: code, text: label, selected: code === value })));
    } else if (field.type === "checkbox") {
      control = el("input", { ...attrs, type: "checkbox", class: "form-check-input", checked: value === true || value === "on" });
    } else if (field.type === "textarea") {
      control = el("textarea", { ...attrs, class: "form-control", rows: 3 });
      control.value = value || "";
    } else if (field.type === "photo") {
      control = el("input", { ...attrs, type: "file", accept: "image/*", capture: "environment", class: "form-control" });
    } else {
      control = el("input", {
        ...attrs,
        type: "text",
        class: "form-control",
        maxlength: field.max_length,
        inputmode: ["integer", "number", "date"].includes(field.type) ? "numeric" : undefined,
        placeholder: field.type === "date" ? scope.date_hint : undefined,
        autocomplete: "off",
      });
      control.value = field.type === "date" ? fromIso(value) : value || "";
    }
    return control;
  }

  function showForm(form, { parent = null, entry = null, record = null } = {}) {
    app.replaceChildren();
    const values = { ...form.defaults, ...(record ? record.values : {}) };
    if (form.date_field && !values[form.date_field]) values[form.date_field] = new Date().toISOString().slice(0, 10);
    const done = (async () => Object.assign(values, entry ? await dataOf(entry) : {}))();
    done.then(() => {
      const node = el("form", { class: "field-form", novalidate: true, id: "field-form", "data-form": form.key });
      node.append(el("h1", { class: "h5", text: form.label }));
      form.fields.forEach((field) => {
        if (field.name === form.parent_field) return;
        const control = input(field, values[field.name]);
        const options = field.type === "link" ? scope.options[field.options] || [] : null;
        const hidden = field.name === form.unit_field && options && options.length === 1;
        const wrap = el("div", { class: hidden ? "d-none" : "mb-3" });
        if (field.type === "checkbox") {
          wrap.append(el("div", { class: "form-check" }, control, el("label", { class: "form-check-label", for: control.id, text: field.label })));
        } else {
          wrap.append(el("label", { class: "form-label", for: control.id, text: field.label + (field.required ? " *" : "") }), control);
        }
        if (field.help) wrap.append(el("div", { class: "form-text", text: field.help }));
        wrap.append(el("div", { class: "invalid-feedback", id: `${control.id}-error` }));
        node.append(wrap);
      });
      node.append(
        el("div", { class: "d-flex gap-2" },
          el("button", { class: "btn btn-primary", type: "submit", id: "field-keep", text: STR.save }),
          el("button", { class: "btn btn-outline-secondary", type: "button", text: STR.cancel, onclick: showHome }),
        ),
      );
      node.addEventListener("submit", (event) => {
        event.preventDefault();
        keepForm(form, node, { parent, entry, record, values });
      });
      app.append(node);
      const first = node.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    });
  }

  function fail(node, name, message) {
    const control = node.querySelector(`[name="${name}"]`);
    control.classList.add("is-invalid");
    document.getElementById(`${control.id}-error`).textContent = message;
    return false;
  }

  async function keepForm(form, node, { parent, entry, record, values }) {
    node.querySelectorAll(".is-invalid").forEach((c) => c.classList.remove("is-invalid"));
    const data = {};
    const files = entry && entry.files ? { ...entry.files } : {};
    let ok = true;
    for (const field of form.fields) {
      if (field.name === form.parent_field) continue;
      const control = node.querySelector(`[name="${field.name}"]`);
      if (field.type === "photo") {
        if (control.files && control.files[0]) files[field.name] = await resized(control.files[0]);
        if (field.required && !files[field.name]) ok = fail(node, field.name, STR.required);
        continue;
      }
      let value = field.type === "checkbox" ? control.checked : control.value.trim();
      if (field.required && (value === "" || value === false) && field.type !== "checkbox") {
        ok = fail(node, field.name, STR.required);
        continue;
      }
      if (field.type === "date" && value) {
        const iso = isoDate(value);
        if (!iso) {
          ok = fail(node, field.name, STR.bad_date.replace("%(hint)s", scope.date_hint));
          continue;
        }
        value = iso;
      }
      if (field.type === "integer" && value) {
        const digits = value.replace(/[\s.,]/g, "");
        if (!/^-?\d+$/.test(digits)) {
          ok = fail(node, field.name, STR.bad_number);
          continue;
        }
        value = digits;
      }
      data[field.name] = value;
    }
    if (!ok) return;
    // Defaults the form does not show (the partnership of the unit's partnership in force).
    Object.entries(form.defaults || {}).forEach(([name, value]) => {
      if (!(name in data)) data[name] = value;
    });
    if (form.parent_field) data[form.parent_field] = `@${parent || (entry && entry.parent)}`;
    const kept = entry || {
      uuid: crypto.randomUUID(),
      seq: Date.now() + Math.random(),
      form: form.key,
      register: form.register,
      parent: parent,
      record: record ? record.id : null,
      version: record ? record.version : null,
      created: new Date().toISOString(),
    };
    kept.status = "queued";
    kept.errors = null;
    kept.files = files;
    kept.summary = summaryOf(form, data, record);
    await keepData(kept, data);
    await putEntry(kept);
    notice(STR.entry_kept, "success");
    await showHome();
    syncNow();
  }

  // What the waiting list shows of an entry: never its personal fields.
  function summaryOf(form, data, record) {
    if (record) return `${STR.change}: ${record.title}`;
    const parts = [form.label];
    const shown = form.fields.filter((f) => data[f.name] && !form.personal.includes(f.name) && f.name !== form.unit_field);
    // What the officer typed names the entry best (a title, a patrol): first.
    shown.sort((a, b) => (b.type === "text") - (a.type === "text"));
    shown.forEach((field) => {
      const value = data[field.name];
      if (field.type === "text") parts.push(value);
      else if (field.type === "date") parts.push(fromIso(value));
      else if (field.type === "select") parts.push((field.choices.find(([c]) => c === value) || [value, value])[1]);
      else if (field.type === "link") parts.push(((scope.options[field.options] || []).find(([c]) => c === value) || [value, value])[1]);
      else if (field.type === "integer") parts.push(value);
    });
    return parts.slice(0, 4).join(" · ");
  }

  function editEntry(entry) {
    if (entry.cell) {
      const index = scope.sheets.findIndex((sh) => sh.unit === entry.cell.unit && entry.cell.day.startsWith(sh.month));
      showSheet(Math.max(index, 0));
      return;
    }
    const form = entry.form ? formOf(entry.form) : null;
    if (form) {
      showForm(form, { entry, parent: entry.parent });
      return;
    }
    const record = { register: entry.register, id: entry.record, version: entry.version, title: entry.summary, values: {} };
    showForm({ key: "", register: entry.register, label: entry.summary, fields: editableFields(entry.register), personal: [], children: [], defaults: {}, preset: {} }, { entry, record });
  }

  // A photo made smaller on the device before it is kept: a phone's 4 MB picture in ~200 KB.
  async function resized(file) {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, PHOTO_MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.8));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let text = "";
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    notice(STR.photo_resized.replace("%(size)s", String(Math.round(bytes.length / 1024))), "info");
    return { name: "photo.jpg", type: "image/jpeg", data: btoa(text) };
  }

  // ---- the monthly log sheet ------------------------------------------------------------------
  // Each cell typed offline is an entry (unit, day, column, value) with the value the device
  // showed before (`version`): the server writes it as the sheet's page does, and a cell changed
  // at the office meanwhile comes back as a conflict.

  const columnLabel = (key) => (scope.sheet_columns.find((c) => c.key === key) || { label: key }).label;
  const sameCell = (a, b) => a.unit === b.unit && a.day === b.day && a.column === b.column;
  const countText = (value) => (value === null || value === undefined || value === "" ? "" : String(value));

  async function settleCell(cell, value) {
    const sheet = scope.sheets.find((sh) => sh.unit === cell.unit && cell.day.startsWith(sh.month));
    const row = sheet && sheet.days.find((d) => d.day === cell.day);
    if (!row) return;
    row.values[scope.sheet_columns.findIndex((c) => c.key === cell.column)] = value === "" ? null : Number(value);
    await setMeta("scope", scope);
  }

  async function showSheet(index) {
    app.replaceChildren();
    const sheet = scope.sheets[index];
    const pending = (await entries()).filter((e) => e.cell);
    const picker = el("select", { class: "form-select mb-2", id: "field-sheet-choice", "aria-label": STR.sheet });
    scope.sheets.forEach((sh, i) => picker.append(el("option", { value: String(i), selected: i === index, text: `${sh.unit_label} · ${sh.month.slice(5)}/${sh.month.slice(0, 4)}` })));
    picker.addEventListener("change", () => showSheet(Number(picker.value)));
    const table = el("table", { class: "table table-sm field-sheet", id: "field-sheet" });
    table.append(el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "" }), scope.sheet_columns.map((c) => el("th", { scope: "col", class: "small", text: c.label })))));
    const body = el("tbody");
    sheet.days.forEach((row) => {
      const tr = el("tr", { "data-day": row.day });
      tr.append(el("th", { scope: "row", text: fromIso(row.day).slice(0, scope.date_order === "ymd" ? 10 : 5) }));
      scope.sheet_columns.forEach((column, i) => {
        const cell = { unit: sheet.unit, day: row.day, column: column.key };
        const waiting = pending.find((e) => sameCell(e.cell, cell));
        const shown = waiting ? waiting.data.value : countText(row.values[i]);
        const box = el("input", {
          type: "text",
          inputmode: "numeric",
          class: `form-control form-control-sm${waiting ? " border-warning" : ""}`,
          "aria-label": `${fromIso(row.day)} · ${column.label}`,
          "data-column": column.key,
          disabled: !row.open || row.several.includes(i),
        });
        box.value = shown;
        box.addEventListener("change", () => keepCell(cell, row.values[i], box));
        tr.append(el("td", {}, box));
      });
      body.append(tr);
    });
    table.append(body);
    app.append(
      el("h1", { class: "h5", text: STR.sheet }),
      picker,
      el("div", { class: "table-responsive" }, table),
      el("button", { class: "btn btn-outline-secondary", type: "button", text: STR.cancel, onclick: showHome }),
    );
    await showStatus();
  }

  async function keepCell(cell, before, box) {
    const digits = box.value.replace(/[\s.,]/g, "");
    if (digits !== "" && !/^\d+$/.test(digits)) {
      box.classList.add("is-invalid");
      box.title = STR.bad_number;
      return;
    }
    box.classList.remove("is-invalid");
    const value = digits === "0" ? "" : digits;
    const all = await entries();
    // A cell typed again before it was sent: the same entry, from the same starting value.
    let entry = all.find((e) => e.cell && sameCell(e.cell, cell) && e.status !== "conflict");
    if (!entry) {
      entry = { uuid: crypto.randomUUID(), seq: Date.now() + Math.random(), form: "", register: "log-sheet", cell, version: before === undefined ? null : before, created: new Date().toISOString() };
    }
    entry.status = "queued";
    entry.errors = null;
    entry.data = { value };
    entry.summary = `${STR.sheet} · ${fromIso(cell.day)} · ${columnLabel(cell.column)}: ${value || "—"}`;
    await putEntry(entry);
    box.classList.add("border-warning");
    await showStatus();
    syncNow();
  }

  // ---- sending -------------------------------------------------------------------------------

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  async function payload(entry) {
    return {
      uuid: entry.uuid,
      form: entry.form,
      register: entry.register,
      record: entry.record,
      version: entry.version,
      data: await dataOf(entry),
      files: entry.files || {},
      cell: entry.cell ? { ...entry.cell, value: entry.data.value } : undefined,
    };
  }

  // Sends what waits, in order, in batches; resumes where it stopped. Each result settles its
  // entry: saved ones leave the device, refused and conflicting ones wait for the officer.
  async function syncNow() {
    if (syncing || !navigator.onLine) return;
    syncing = true;
    clearTimeout(retryTimer);
    await showStatus();
    let saved = false;
    try {
      for (let round = 0; round < 1000; round += 1) {
        const ready = (await entries()).filter((e) => e.status === "queued" || e.status === "waiting");
        if (!ready.length) break;
        const batch = ready.slice(0, BATCH);
        const response = await fetch(URLS.sync, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
          body: JSON.stringify({ entries: await Promise.all(batch.map(payload)) }),
        });
        if (response.status === 401 || response.status === 403) {
          notice(STR.login_again, "warning");
          break;
        }
        if (!response.ok) throw new Error(`sync ${response.status}`);
        const { results } = await response.json();
        let progress = false;
        for (const result of results) {
          const entry = batch.find((e) => e.uuid === result.uuid);
          if (!entry) continue;
          if (result.status === "saved") {
            if (entry.cell) await settleCell(entry.cell, entry.data.value);
            await dropEntry(entry.uuid);
            progress = true;
            saved = true;
          } else {
            entry.status = result.status;
            entry.errors = result.errors || null;
            entry.server = result.server || null;
            await putEntry(entry);
            if (result.status !== "waiting") progress = true;
          }
        }
        await setMeta("lastSync", Date.now());
        retries = 0;
        if (!progress) break; // only entries waiting for a refused parent are left
      }
    } catch (error) {
      // The network went (or the server failed): try again later, from where it stopped.
      retryTimer = setTimeout(syncNow, RETRY_MS[Math.min(retries, RETRY_MS.length - 1)]);
      retries += 1;
    } finally {
      syncing = false;
      const home = !document.getElementById("field-form") && !document.getElementById("field-sheet");
      // What was just saved belongs among the recent entries the officer may correct: the scope
      // is asked for again (a 304 when nothing changed). Not under an open form, which reads it.
      if (saved && home) await loadScope();
      if (home) await showHome();
      else await showStatus();
    }
  }

  // ---- unsent entries to a file and back ------------------------------------------------------

  async function passphraseKey(passphrase, salt) {
    const base = await crypto.subtle.importKey("raw", new TextEncoder().encode(passphrase), "PBKDF2", false, ["deriveKey"]);
    return crypto.subtle.deriveKey(
      { name: "PBKDF2", hash: "SHA-256", salt, iterations: 200000 },
      base,
      { name: "AES-GCM", length: 256 },
      false,
      ["encrypt", "decrypt"],
    );
  }

  function backupTools() {
    const box = el("details", { class: "mt-4", id: "field-backup" });
    box.append(el("summary", { text: `${STR.export} / ${STR.import}` }));
    const pass = el("input", { type: "password", class: "form-control form-control-sm my-2", id: "field-passphrase", autocomplete: "new-password", "aria-label": "passphrase" });
    const file = el("input", { type: "file", accept: "application/json", class: "form-control form-control-sm", id: "field-import-file" });
    box.append(
      pass,
      el("button", { class: "btn btn-sm btn-outline-secondary me-2", type: "button", id: "field-export", text: STR.export, onclick: () => exportEntries(pass.value) }),
      el("label", { class: "form-label small mt-2", for: "field-import-file", text: STR.import }),
      file,
    );
    file.addEventListener("change", () => file.files[0] && importEntries(file.files[0], pass.value));
    return box;
  }

  // The file holds the entries sealed with a key made from the passphrase: readable after the
  // browser's storage (and the device key with it) is gone, by no one without the passphrase.
  async function exportEntries(passphrase) {
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const key = await passphraseKey(passphrase || "", salt);
    const list = [];
    for (const entry of await entries()) {
      const data = await dataOf(entry);
      const sealed = await seal({ data, files: entry.files || {} }, key);
      list.push({ ...entry, data: null, files: null, sealed: null, exported: { iv: sealed.iv, data: Array.from(sealed.data) } });
    }
    const blob = new Blob([JSON.stringify({ format: "borderlink-field/1", user: USER, salt: Array.from(salt), entries: list })], { type: "application/json" });
    const link = el("a", { href: URL.createObjectURL(blob), download: `borderlink-unsent-${new Date().toISOString().slice(0, 10)}.json` });
    document.body.append(link);
    link.click();
    link.remove();
  }

  async function importEntries(file, passphrase) {
    const body = JSON.parse(await file.text());
    const key = await passphraseKey(passphrase || "", new Uint8Array(body.salt));
    const known = new Set((await entries()).map((e) => e.uuid));
    let count = 0;
    for (const item of body.entries) {
      if (known.has(item.uuid)) continue; // the same entry twice on one device: kept once
      const opened = await unseal({ iv: item.exported.iv, data: new Uint8Array(item.exported.data) }, key);
      const entry = { ...item, exported: undefined, files: opened.files, status: "queued" };
      await keepData(entry, opened.data);
      await putEntry(entry);
      count += 1;
    }
    notice(STR.imported.replace("%(count)s", String(count)), "success");
    await showHome();
    syncNow();
  }

  // ---- logging out wipes the device's store ---------------------------------------------------

  document.getElementById("field-logout").addEventListener("submit", async (event) => {
    event.preventDefault();
    const waiting = (await entries()).length;
    if (waiting && !window.confirm(STR.logout_waiting.replace("%(count)s", String(waiting)))) return;
    await wipe();
    event.target.submit();
  });

  // ---- start ----------------------------------------------------------------------------------

  document.getElementById("field-send").addEventListener("click", () => syncNow());
  window.addEventListener("online", () => {
    showStatus();
    syncNow();
  });
  window.addEventListener("offline", showStatus);
  setInterval(() => navigator.onLine && syncNow(), 30000);

  async function start() {
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(URLS.worker, { scope: new URL(".", new URL(URLS.worker, location.href)).pathname }).catch(() => {});
    }
    if (navigator.storage && navigator.storage.persist) {
      navigator.storage.persist().then((granted) => {
        app.dataset.persisted = String(granted);
      });
    }
    await loadScope();
    await showHome();
    syncNow();
  }
  start();
})();
