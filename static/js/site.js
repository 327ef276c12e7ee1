// Small progressive enhancements; every page works without them.
document.querySelectorAll("select.js-autosubmit").forEach((el) => {
  el.addEventListener("change", () => el.form.submit());
  // The submit button is there for pages without JavaScript.
  el.form.querySelectorAll(".js-autosubmit-button").forEach((button) => { button.hidden = true; });
});
document.querySelectorAll("input.js-select-all").forEach((box) => {
  box.addEventListener("change", () => {
    box.closest("form").querySelectorAll("input[name='" + box.dataset.target + "']").forEach((c) => { c.checked = box.checked; });
  });
});
// Reload a page that shows a running job (match run, schedule run) so its progress moves.
document.querySelectorAll("[data-reload-seconds]").forEach((el) => {
  window.setTimeout(() => window.location.reload(), 1000 * Number(el.dataset.reloadSeconds));
});
// Copy buttons (the calendar feed link): shown only where the clipboard can be written.
document.querySelectorAll("button.js-copy").forEach((button) => {
  if (!navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    const source = document.getElementById(button.dataset.copyTarget);
    navigator.clipboard.writeText(source.value).then(() => { button.textContent = button.dataset.copied; });
  });
});
document.querySelectorAll("input.js-copy-source").forEach((input) => {
  input.addEventListener("focus", () => input.select());
});
