// Agenda pages: offer the reader's own time zone (from the browser) when the page shows the
// mission's zone only. Progressive enhancement: without this script the `tz` parameter still works.
(function () {
  const box = document.querySelector(".js-agenda-tz");
  if (!box || new URLSearchParams(window.location.search).has("tz")) return;
  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (e) {
    return;
  }
  if (!zone || zone === box.dataset.missionTz) return;
  const params = new URLSearchParams(window.location.search);
  params.set("tz", zone);
  box.querySelector("a").href = "?" + params.toString();
  box.querySelector(".js-agenda-tz-name").textContent = zone;
  box.hidden = false;
})();
