// discreet: the screen pages' script. A file larger than the server takes is refused
// here, before it is sent (the server would refuse it too, after the whole upload).
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("file-form");
  const input = form && form.querySelector("input[type=file][data-max-bytes]");
  const said = document.getElementById("file-size-error");
  if (!form || !input || !said) return;
  form.addEventListener("submit", (event) => {
    const file = input.files && input.files[0];
    if (file && file.size > Number(input.dataset.maxBytes)) {
      event.preventDefault();
      said.hidden = false;
      input.setAttribute("aria-invalid", "true");
      input.focus();
    }
  });
  input.addEventListener("change", () => {
    said.hidden = true;
    input.removeAttribute("aria-invalid");
  });
});
