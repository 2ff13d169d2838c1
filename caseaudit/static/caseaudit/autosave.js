// Autosave of drafts: htmx posts the form as the auditor types. The typed text is never
// replaced; when a save fails, the page says so and keeps the text.
const status = document.getElementById("autosave-status");
let stopped = false;

function say(message) {
  if (status) {
    status.innerHTML = "";
    const strong = document.createElement("strong");
    strong.className = "app-autosave__error";
    strong.textContent = message;
    status.appendChild(strong);
  }
}

document.body.addEventListener("htmx:sendError", () => {
  say("Not saved: the connection was lost. Your text is still here; it will be saved when you select “Save and continue” or type again once you are back online.");
});

document.body.addEventListener("htmx:beforeSwap", (event) => {
  // Show the server's message for refused saves (409 stale, 422 invalid) instead of ignoring it.
  if (event.detail.xhr.status === 409 || event.detail.xhr.status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
    stopped = stopped || event.detail.xhr.status === 409;
  } else if (event.detail.xhr.status >= 500) {
    say("Not saved: the service had a problem. Your text is still here; try “Save and continue”.");
  }
});

document.body.addEventListener("htmx:beforeRequest", (event) => {
  // After a refused stale save, stop autosaving: the auditor must reload to see the changes.
  if (stopped) {
    event.preventDefault();
  }
});
