// Small progressive enhancements; every page works without them.
document.querySelectorAll("select.js-autosubmit").forEach((el) => {
  el.addEventListener("change", () => el.form.submit());
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
