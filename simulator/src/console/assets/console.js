// ctsim console: the few things a server-rendered page cannot do by itself.
// Every text it moves comes from the page (already escaped by the server) and is set with
// textContent; nothing is inserted as HTML from strings.
"use strict";

// Event history: a click on a row shows its record beside the table.
function wireRows(root) {
  const pane = document.getElementById("record");
  if (!pane) return;
  root.querySelectorAll("tr.ev").forEach((row) => {
    row.addEventListener("click", (e) => {
      if (e.target.closest("a")) e.preventDefault();
      const record = row.nextElementSibling && row.nextElementSibling.querySelector("pre");
      if (!record) return;
      pane.textContent = record.textContent;
      root.querySelectorAll("tr.ev.selected").forEach((r) => r.classList.remove("selected"));
      row.classList.add("selected");
    });
  });
  const first = root.querySelector("tr.ev");
  if (first && !root.querySelector("tr.ev.selected")) first.classList.add("selected");
}

// Event history, first page: poll for a newer event and swap in the fresh table.
function pollHistory() {
  const history = document.getElementById("history");
  const status = document.getElementById("live-status");
  if (!history || history.dataset.live !== "1") return;
  if (status) status.textContent = "live: checking every 3 s";
  setInterval(async () => {
    const current = document.getElementById("history");
    try {
      const head = await fetch("/console/events/head" + location.search, { cache: "no-store" });
      if (!head.ok) return;
      const id = await head.text();
      if (id === current.dataset.head) return;
      const page = await fetch(location.href, { cache: "no-store" });
      if (!page.ok) return;
      const doc = new DOMParser().parseFromString(await page.text(), "text/html");
      const fresh = doc.getElementById("history");
      if (!fresh) return;
      current.replaceWith(document.adoptNode(fresh));
      wireRows(fresh);
      if (status) status.textContent = "live: updated " + new Date().toISOString().slice(11, 19) + " UTC";
    } catch (_) {
      if (status) status.textContent = "live: server not reachable";
    }
  }, 3000);
}

document.addEventListener("DOMContentLoaded", () => {
  wireRows(document);
  pollHistory();
  // Lake: say that a statement is running.
  const editor = document.querySelector("form.editor");
  if (editor) {
    editor.addEventListener("submit", () => {
      const run = document.getElementById("run");
      if (run) { run.disabled = true; run.textContent = "Running…"; }
    });
  }
});
