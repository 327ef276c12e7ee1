// The schedule editor: drag a meeting to a cell (move) or onto another meeting (swap), click a
// meeting for its action panel, undo. Progressive enhancement: without this script every meeting is
// a link to the same panel, whose forms post to the same URLs and come back to the page.
// The server answers a request sent with "Accept: application/json" with
// {ok, message, cells: {"<slot>:<table>": "<td>…</td>"}, unplaced, undo}: the refused change's
// reason (nothing is redrawn), or the cells it changed, redrawn in place.
(function () {
  "use strict";
  const editor = document.getElementById("schedule-editor");
  if (!editor) return;
  const grid = document.getElementById("schedule-grid");
  const status = document.getElementById("schedule-status");
  const panelSlot = document.getElementById("schedule-panel-slot");
  let dragged = null;

  function say(message, ok) {
    status.textContent = message;
    status.classList.toggle("is-error", !ok);
    status.classList.toggle("is-ok", ok);
  }

  function replace(selector, html) {
    const old = document.querySelector(selector);
    if (!old || !html) return;
    const box = document.createElement(old.tagName === "TD" ? "tr" : "div");
    box.innerHTML = html.trim();
    const fresh = box.firstElementChild;
    if (fresh) old.replaceWith(fresh);
  }

  function apply(answer) {
    say(answer.message, answer.ok);
    if (!answer.ok) return;
    Object.entries(answer.cells || {}).forEach(([key, html]) => {
      replace('td.cell[data-cell="' + CSS.escape(key) + '"]', html);
    });
    replace("#schedule-unplaced", answer.unplaced);
    replace("#schedule-undo", answer.undo);
    closePanel();
  }

  function post(url, fields) {
    const body = new FormData();
    Object.entries(fields).forEach(([name, value]) => body.append(name, value));
    return send(url, body);
  }

  function send(url, body) {
    editor.classList.add("is-busy");
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": editor.dataset.csrf },
    })
      .then((response) => response.json())
      .then(apply)
      .catch(() => say(editor.dataset.failed || "Network error: nothing was changed.", false))
      .finally(() => editor.classList.remove("is-busy"));
  }

  function withQuery(url) {
    return url + "?" + editor.dataset.query;
  }

  // Drag and drop --------------------------------------------------------------------------------
  editor.addEventListener("dragstart", (event) => {
    const meeting = event.target.closest && event.target.closest(".mtg[data-meeting]");
    if (!meeting) return;
    dragged = meeting;
    meeting.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", meeting.dataset.meeting);
  });
  editor.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("is-dragging");
    dragged = null;
    editor.querySelectorAll(".is-over").forEach((el) => el.classList.remove("is-over"));
  });

  function dropTarget(event) {
    const el = event.target.closest && event.target.closest(".mtg[data-meeting], td.cell[data-cell], #schedule-unplaced");
    if (!el || !dragged || el === dragged) return null;
    return el;
  }
  editor.addEventListener("dragover", (event) => {
    const target = dropTarget(event);
    if (!target) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    editor.querySelectorAll(".is-over").forEach((el) => { if (el !== target) el.classList.remove("is-over"); });
    target.classList.add("is-over");
  });
  editor.addEventListener("dragleave", (event) => {
    const target = dropTarget(event);
    if (target && !target.contains(event.relatedTarget)) target.classList.remove("is-over");
  });
  editor.addEventListener("drop", (event) => {
    const target = dropTarget(event);
    if (!target) return;
    event.preventDefault();
    target.classList.remove("is-over");
    const meeting = dragged.dataset.meeting;
    if (target.matches(".mtg")) {
      post(withQuery(editor.dataset.swapUrl), { meeting: meeting, other: target.dataset.meeting });
    } else if (target.matches("td.cell")) {
      const [slot, table] = target.dataset.cell.split(":");
      post(withQuery(editor.dataset.moveUrl), { meeting: meeting, slot: slot, table: table });
    } else {
      post(withQuery(editor.dataset.unplaceUrl), { meeting: meeting });
    }
  });

  // The action panel -----------------------------------------------------------------------------
  function closePanel() {
    panelSlot.innerHTML = "";
    editor.querySelectorAll(".mtg.is-selected").forEach((el) => el.classList.remove("is-selected"));
  }
  editor.addEventListener("click", (event) => {
    const meeting = event.target.closest(".mtg[data-meeting]");
    if (meeting) {
      event.preventDefault();
      const opener = meeting;
      fetch(meeting.getAttribute("href"), { headers: { "X-Schedule-Panel": "1" }, credentials: "same-origin" })
        .then((response) => (response.ok ? response.text() : Promise.reject(response)))
        .then((html) => {
          closePanel();
          panelSlot.innerHTML = html;
          opener.classList.add("is-selected");
          const panel = document.getElementById("schedule-panel");
          panel.dataset.opener = opener.dataset.meeting;
          panel.focus();
        })
        .catch(() => { window.location.href = meeting.getAttribute("href"); });
      return;
    }
    if (event.target.closest(".js-panel-close")) {
      event.preventDefault();
      const panel = document.getElementById("schedule-panel");
      const opener = panel && grid.querySelector('.mtg[data-meeting="' + panel.dataset.opener + '"]');
      closePanel();
      if (opener) opener.focus();
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && document.getElementById("schedule-panel")) {
      const panel = document.getElementById("schedule-panel");
      const opener = editor.querySelector('.mtg[data-meeting="' + panel.dataset.opener + '"]');
      closePanel();
      if (opener) opener.focus();
    }
  });
  // Panel and undo forms: the same POST, answered in place.
  editor.addEventListener("submit", (event) => {
    const form = event.target.closest("form.js-editor-form");
    if (!form) return;
    event.preventDefault();
    send(form.getAttribute("action"), new FormData(form));
  });

  // Display zone: offer the viewer's own zone first when it is not the mission's.
  const zoneSelect = editor.querySelector(".js-tz-select");
  if (zoneSelect) {
    let mine = "";
    try { mine = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { mine = ""; }
    if (mine && mine !== editor.dataset.missionTz) {
      const option = document.createElement("option");
      option.value = mine;
      option.textContent = editor.dataset.myZoneLabel + " (" + mine + ")";
      zoneSelect.insertBefore(option, zoneSelect.options[1] || null);
      if (new URLSearchParams(window.location.search).get("tz") === mine) option.selected = true;
    }
  }
})();
