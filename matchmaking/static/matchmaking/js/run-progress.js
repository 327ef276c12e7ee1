// Reload a run's page while it is queued or running, so its progress moves without a click.
document.querySelectorAll("[data-reload-seconds]").forEach((el) => {
  window.setTimeout(() => window.location.reload(), 1000 * Number(el.dataset.reloadSeconds));
});
