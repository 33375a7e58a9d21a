// Autosave for questionnaire sections: each item is saved as the user leaves a field.
// Without this script the page still works: the "Save section" button posts everything.
// Unsaved values are kept in this browser (localStorage) until the server has them, so a
// lost connection or an expired session loses nothing.
// A field somebody else changed meanwhile is a conflict: it shows both versions and stays
// conflicted until its user chooses "keep mine" or "take theirs". Until then every save of the
// item sends the other person's values for that field (so no retry overwrites them), and the
// item's other fields still save.
// Every text it shows comes translated from the page (the form's data-msg-* attributes).
(function () {
  "use strict";
  const form = document.getElementById("section-form");
  if (!form || form.dataset.autosave !== "on") return;
  const csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  const timers = new Map();
  const pending = new Set();
  const conflicts = new Map(); // item -> Map(form field name -> conflict from the server)
  const storeKey = (item) => "tanneeds:" + item.dataset.autosaveUrl;

  // The page's text ``name`` (data-msg-<name>) with each {key} replaced by its value.
  function say(name, values = {}) {
    const text = form.dataset["msg" + name[0].toUpperCase() + name.slice(1)];
    return text.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? values[key] : whole));
  }

  function stateBox(item) { return item.querySelector(".save-state"); }

  function setState(item, html, kind) {
    const box = stateBox(item);
    if (kind) {
      box.innerHTML = "";
      const p = document.createElement("p");
      p.className = "mb-0 " + kind;
      p.textContent = html;
      box.appendChild(p);
    } else {
      box.innerHTML = html;
    }
  }

  function fieldName(item, el) { return el.name.slice(item.dataset.prefix.length + 1); }

  // What the item sends: the form's values, except for conflicted fields (the other person's
  // values, so nothing is overwritten before the user has chosen). ``mine`` gives the form as is.
  function values(item, mine) {
    const data = new FormData();
    const open = mine ? new Map() : (conflicts.get(item) || new Map());
    for (const el of item.elements) {
      if (!el.name || el.disabled || open.has(fieldName(item, el))) continue;
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) continue;
      if (el.type === "file") { for (const f of el.files) data.append(el.name, f); continue; }
      data.append(el.name, el.value);
    }
    for (const [name, conflict] of open) {
      for (const value of conflict.theirs) data.append(item.dataset.prefix + "-" + name, value);
    }
    return data;
  }

  function backup(item) {
    const saved = {};
    for (const [name, value] of values(item, true).entries()) {
      if (typeof value !== "string") continue;
      (saved[name] = saved[name] || []).push(value);
    }
    try { localStorage.setItem(storeKey(item), JSON.stringify(saved)); } catch (e) { /* full */ }
  }

  function clearErrors(item) {
    item.querySelectorAll(".autosave-error").forEach((el) => el.remove());
    item.querySelectorAll(".is-invalid").forEach((el) => el.classList.remove("is-invalid"));
  }

  function showErrors(item, errors) {
    const prefix = item.dataset.prefix;
    for (const [field, messages] of Object.entries(errors)) {
      const inputs = item.querySelectorAll(`[name="${prefix}-${field}"]`);
      if (!inputs.length) continue;
      inputs.forEach((el) => el.classList.add("is-invalid"));
      const note = document.createElement("div");
      note.className = "invalid-feedback d-block autosave-error";
      note.setAttribute("role", "alert");
      note.textContent = messages.join(" ");
      const last = inputs[inputs.length - 1];
      (last.closest(".mb-3") || last.parentElement).appendChild(note);
      const details = last.closest("details");
      if (details) details.open = true;
    }
  }

  function conflictBox(item) {
    let box = item.querySelector(".conflict-box");
    if (!box) {
      box = document.createElement("div");
      box.className = "conflict-box";
      stateBox(item).before(box);
    }
    return box;
  }

  function renderConflicts(item) {
    const open = conflicts.get(item) || new Map();
    const box = conflictBox(item);
    box.innerHTML = "";
    for (const [name, c] of open) {
      const panel = document.createElement("div");
      panel.className = "alert alert-warning py-2 mb-2";
      panel.setAttribute("role", "alert");
      panel.dataset.conflict = name;
      const title = document.createElement("p");
      title.className = "mb-1";
      const strong = document.createElement("strong");
      strong.textContent = c.label;
      const [before, after] = say("conflict", { person: c.by }).split("{field}");
      title.append(before, strong, after || "");
      const list = document.createElement("dl");
      list.className = "row mb-2 small";
      for (const [term, text] of [[say("theirs", { person: c.by }), c.theirs_text], [say("mine"), c.mine_text]]) {
        const dt = document.createElement("dt"); dt.className = "col-sm-4"; dt.textContent = term;
        const dd = document.createElement("dd"); dd.className = "col-sm-8 mb-1"; dd.textContent = text;
        list.append(dt, dd);
      }
      const mine = document.createElement("button");
      mine.type = "button"; mine.className = "btn btn-sm btn-primary me-2"; mine.textContent = say("keepMine");
      mine.addEventListener("click", () => resolve(item, name, false));
      const theirs = document.createElement("button");
      theirs.type = "button"; theirs.className = "btn btn-sm btn-outline-secondary";
      theirs.textContent = say("takeTheirs", { person: c.by });
      theirs.addEventListener("click", () => resolve(item, name, true));
      panel.append(title, list, mine, theirs);
      box.appendChild(panel);
    }
    if (open.size) {
      const details = item.querySelector("details");
      if (details) details.open = true;
    }
  }

  // The user has seen both versions and chosen: "theirs" puts their values in the form, "mine"
  // sends the form's value with the current version. Either way the item is saved again.
  function resolve(item, name, takeTheirs) {
    const open = conflicts.get(item);
    const conflict = open && open.get(name);
    if (!conflict) return;
    if (takeTheirs) {
      for (const el of item.elements) {
        if (el.name !== item.dataset.prefix + "-" + name) continue;
        if (el.type === "checkbox" || el.type === "radio") el.checked = conflict.theirs.includes(el.value);
        else el.value = conflict.theirs[0] || "";
      }
    }
    open.delete(name);
    renderConflicts(item);
    save(item);
  }

  function expiredBanner() {
    if (document.getElementById("session-expired")) return;
    const banner = document.createElement("div");
    banner.id = "session-expired";
    banner.className = "alert alert-warning sticky-top";
    banner.setAttribute("role", "alert");
    // "... {link}Log in again in a new tab{/link} ...": the marked words become the link.
    const [before, words, after] = say("expired").split(/\{\/?link\}/);
    const link = document.createElement("a");
    link.href = form.dataset.loginUrl + "?next=" + encodeURIComponent(location.pathname);
    link.target = "_blank";
    link.rel = "noopener";
    link.textContent = words;
    banner.append(before, link, after || "");
    form.prepend(banner);
  }

  async function save(item) {
    pending.add(item);
    backup(item);
    setState(item, say("saving"), "text-body-secondary");
    let response;
    try {
      response = await fetch(item.dataset.autosaveUrl, {
        method: "POST",
        body: values(item),
        headers: { "X-CSRFToken": csrf, Accept: "application/json" },
        credentials: "same-origin",
      });
    } catch (e) {
      setState(item, say("offline"), "text-danger");
      return;
    }
    if (response.status === 401 || response.status === 403 && response.headers.get("content-type") !== "application/json") {
      expiredBanner();
      setState(item, say("signedOut"), "text-danger");
      return;
    }
    let body;
    try { body = await response.json(); } catch (e) {
      setState(item, say("serverError"), "text-danger");
      return;
    }
    if (body.error) { setState(item, body.error, "text-danger"); return; }
    const version = item.querySelector(`[name="${item.dataset.prefix}-version"]`);
    if (version) version.value = body.version;
    clearErrors(item);
    showErrors(item, body.errors || {});
    const open = conflicts.get(item) || new Map();
    for (const c of body.conflicts || []) open.set(c.field, c);
    conflicts.set(item, open);
    renderConflicts(item);
    const file = item.querySelector('input[type="file"]');
    if (file && (response.ok || response.status === 409)) file.value = "";
    if (open.size) {
      // The rest of the item is saved; what is conflicted waits for the user's choice (and
      // stays in this browser until then).
      pending.delete(item);
      setState(item, say("conflictsWaiting"), "fw-semibold");
      return;
    }
    setState(item, body.state);
    if (response.ok) {
      pending.delete(item);
      localStorage.removeItem(storeKey(item));
      const confirm = item.querySelector(`[name="${item.dataset.prefix}-confirm"]`);
      if (confirm && confirm.checked) confirm.closest(".form-check").remove();
      const banner = document.getElementById("session-expired");
      if (banner && !pending.size) banner.remove();
    }
  }

  function schedule(item) {
    clearTimeout(timers.get(item));
    timers.set(item, setTimeout(() => save(item), 250));
  }

  form.addEventListener("change", (event) => {
    const item = event.target.closest("fieldset.item");
    if (!item) return;
    if (event.target.name === item.dataset.prefix + "-assistance") {
      const details = item.querySelector("details");
      if (details && event.target.value === "yes") details.open = true;
    }
    schedule(item);
  });

  // After a lost connection or an expired session: once the session answers again, save.
  async function retryPending() {
    if (!pending.size) return;
    try {
      const response = await fetch(form.dataset.sessionUrl, { credentials: "same-origin" });
      if (!response.ok) { expiredBanner(); return; }
    } catch (e) { return; }
    for (const item of [...pending]) schedule(item);
  }
  window.addEventListener("online", retryPending);
  window.addEventListener("focus", retryPending);
  window.addEventListener("beforeunload", (event) => {
    const undecided = [...conflicts.values()].some((open) => open.size);
    if (pending.size || undecided) { event.preventDefault(); event.returnValue = ""; }
  });

  function restore(item, saved) {
    // Detail fields load when their item is opened: open it, and restore once they are here.
    const details = item.querySelector("details[hx-get]");
    if (details && !item.querySelector(`[name="${item.dataset.prefix}-details"]`) &&
        Object.keys(saved).some((name) => !item.elements.namedItem(name))) {
      details.addEventListener("htmx:afterSettle", () => restore(item, saved), { once: true });
      details.open = true;
      return;
    }
    for (const el of item.elements) {
      if (!el.name || !(el.name in saved) || el.type === "file") continue;
      if (el.type === "checkbox" || el.type === "radio") el.checked = saved[el.name].includes(el.value);
      else el.value = saved[el.name][0];
    }
    schedule(item);
  }

  // Values typed before a reload that never reached the server: put them back and save them.
  for (const item of form.querySelectorAll("fieldset.item")) {
    let saved;
    try { saved = JSON.parse(localStorage.getItem(storeKey(item)) || "null"); } catch (e) { saved = null; }
    if (!saved) continue;
    // Put back what was typed, with the version it was typed on: if the server has changed
    // since, the save reports the fields changed on both sides as conflicts to choose from.
    restore(item, saved);
  }
})();
