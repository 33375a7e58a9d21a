// An item's detail fields load when the item is opened (htmx, see assessments/item_html.py).
// While they load, their container is marked busy so that screen readers wait for the fields
// instead of reading the placeholder; the summary that opened them keeps the focus, so a
// keyboard user goes on with Tab into the fields that arrived.
(function () {
  "use strict";
  function loading(event) {
    const body = event.detail.target;
    return body && body.classList && body.classList.contains("details-body") ? body : null;
  }
  document.addEventListener("htmx:beforeRequest", (event) => {
    const body = loading(event);
    if (body) body.setAttribute("aria-busy", "true");
  });
  // Loaded, or failed (the link to the page with the details shown stays in place then).
  for (const done of ["htmx:afterSettle", "htmx:responseError", "htmx:sendError"]) {
    document.addEventListener(done, (event) => {
      const body = loading(event);
      if (body) body.removeAttribute("aria-busy");
    });
  }
})();
