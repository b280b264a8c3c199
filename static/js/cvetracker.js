// Progressive extras; every page works without this file.
// "Print this report" buttons: shown only when a script can press print for you.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});

// Filter forms: leave empty fields out of the address, so links stay short and readable.
document.querySelectorAll("form[data-drop-empty]").forEach((form) => {
  form.addEventListener("submit", () => {
    form.querySelectorAll("input, select").forEach((field) => {
      if (field.name && field.value === "" && field.type !== "checkbox") field.disabled = true;
    });
  });
  // Coming back through the browser's history restores the page as it was left: enable them again.
  window.addEventListener("pageshow", () => {
    form.querySelectorAll(":disabled").forEach((field) => { field.disabled = false; });
  });
});

// After a form comes back with errors, move focus to the summary so it is read out first.
document.getElementById("form-errors")?.focus();

// On a phone the filter form would push the results a screen down: fold it (it opens with a tap).
if (window.matchMedia("(max-width: 56rem)").matches) {
  document.querySelectorAll("details[data-fold-on-small-screens]").forEach((details) => {
    details.open = false;
  });
}
