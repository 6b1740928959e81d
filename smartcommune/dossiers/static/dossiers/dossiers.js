/* The dossier screens: let htmx swap the answers that explain a refusal (400 invalid input,
   403 not yours to do, 409 someone acted first) into the panel, as the plain form would show them.
   htmx does not swap 4xx answers by default. No inline scripts anywhere (CSP). */
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if ((status === 400 || status === 403 || status === 409) && event.detail.elt.closest("[data-swap-errors]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
