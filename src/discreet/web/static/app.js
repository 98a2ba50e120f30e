// discreet: the pages' small script layer. Every page works without it; it only adds
// conveniences (confirmation of irreversible actions, progress of a file being screened,
// select-all for bulk actions). No inline script exists: the CSP forbids it.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Forms marked data-confirm ask before they are sent.
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
  // A checkbox marked data-select-all toggles the boxes named in its value.
  for (const box of document.querySelectorAll("input[data-select-all]")) {
    box.addEventListener("change", () => {
      for (const other of document.querySelectorAll(`input[name="${box.dataset.selectAll}"]`)) {
        other.checked = box.checked;
      }
    });
  }
  // An element marked data-progress polls its URL (JSON {done, total, state, message})
  // and shows how far a job is; when it ends, the page reloads to show the outcome.
  for (const el of document.querySelectorAll("[data-progress]")) {
    const bar = el.querySelector("progress");
    const words = el.querySelector("[data-progress-words]");
    const poll = async () => {
      try {
        const answer = await fetch(el.dataset.progress, { credentials: "same-origin" });
        const job = await answer.json();
        if (bar && job.total) { bar.max = job.total; bar.value = job.done; }
        if (words) words.textContent = job.message || "";
        if (job.state === "running" || job.state === "queued") {
          window.setTimeout(poll, 700);
        } else {
          window.location.reload();
        }
      } catch (error) {
        if (words) words.textContent = String(error);
      }
    };
    poll();
  }
});
