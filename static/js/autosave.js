// Autosave for questionnaire sections: each item is saved as the user leaves a field.
// Without this script the page still works: the "Save section" button posts everything.
// Unsaved values are kept in this browser (localStorage) until the server has them, so a
// lost connection or an expired session loses nothing.
(function () {
  "use strict";
  const form = document.getElementById("section-form");
  if (!form || form.dataset.autosave !== "on") return;
  const csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  const timers = new Map();
  const pending = new Set();
  const storeKey = (item) => "tanneeds:" + item.dataset.autosaveUrl;

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

  function values(item) {
    const data = new FormData();
    for (const el of item.elements) {
      if (!el.name || el.disabled) continue;
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) continue;
      if (el.type === "file") { for (const f of el.files) data.append(el.name, f); continue; }
      data.append(el.name, el.value);
    }
    return data;
  }

  function backup(item) {
    const saved = {};
    for (const [name, value] of values(item).entries()) {
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

  function expiredBanner() {
    if (document.getElementById("session-expired")) return;
    const banner = document.createElement("div");
    banner.id = "session-expired";
    banner.className = "alert alert-warning sticky-top";
    banner.setAttribute("role", "alert");
    banner.innerHTML = 'Your session has expired. <a href="/accounts/login/" target="_blank" ' +
      'rel="noopener">Log in again in a new tab</a>; what you typed here is kept and will be ' +
      "saved when you come back to this tab.";
    form.prepend(banner);
  }

  async function save(item) {
    pending.add(item);
    backup(item);
    setState(item, "Saving…", "text-body-secondary");
    let response;
    try {
      response = await fetch(item.dataset.autosaveUrl, {
        method: "POST",
        body: values(item),
        headers: { "X-CSRFToken": csrf, Accept: "application/json" },
        credentials: "same-origin",
      });
    } catch (e) {
      setState(item, "Not saved: no connection. Kept in this browser; it will be saved when the connection returns.", "text-danger");
      return;
    }
    if (response.status === 401 || response.status === 403 && response.headers.get("content-type") !== "application/json") {
      expiredBanner();
      setState(item, "Not saved yet: log in again (your values are kept).", "text-danger");
      return;
    }
    let body;
    try { body = await response.json(); } catch (e) {
      setState(item, "Not saved: the server had a problem. Your values are kept; try again later.", "text-danger");
      return;
    }
    if (body.error) { setState(item, body.error, "text-danger"); return; }
    const version = item.querySelector(`[name="${item.dataset.prefix}-version"]`);
    if (version) version.value = body.version;
    clearErrors(item);
    showErrors(item, body.errors || {});
    setState(item, body.state);
    const file = item.querySelector('input[type="file"]');
    if (file && response.ok) file.value = "";
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
      const response = await fetch("/accounts/session/", { credentials: "same-origin" });
      if (!response.ok) { expiredBanner(); return; }
    } catch (e) { return; }
    for (const item of [...pending]) schedule(item);
  }
  window.addEventListener("online", retryPending);
  window.addEventListener("focus", retryPending);
  window.addEventListener("beforeunload", (event) => {
    if (pending.size) { event.preventDefault(); event.returnValue = ""; }
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
    const version = item.querySelector(`[name="${item.dataset.prefix}-version"]`);
    if (version && saved[version.name] && saved[version.name][0] !== version.value) {
      localStorage.removeItem(storeKey(item)); // the server has newer values: keep those
      continue;
    }
    restore(item, saved);
  }
})();
