// Autosave of drafts: htmx posts the form as the auditor types. The typed text is never
// replaced; when a save fails, the page says so and keeps the text.
const status = document.getElementById("autosave-status");
const form = document.getElementById("part-form");
let stopped = false;
let submitting = false;
let inFlight = 0;
let submitWhenIdle = false;

function say(message) {
  if (status) {
    status.innerHTML = "";
    const strong = document.createElement("strong");
    strong.className = "app-autosave__error";
    strong.textContent = message;
    status.appendChild(strong);
  }
}

if (form) {
  // "Save and continue" must carry the version the last autosave returned, so it waits for
  // an autosave in flight, and no new autosave starts once the form is being submitted.
  form.addEventListener("submit", (event) => {
    submitting = true;
    if (inFlight > 0) {
      event.preventDefault();
      submitWhenIdle = true;
    }
  });
}

document.body.addEventListener("htmx:beforeRequest", (event) => {
  if (stopped || submitting) {
    event.preventDefault();
    return;
  }
  inFlight += 1;
});

document.body.addEventListener("htmx:afterRequest", () => {
  inFlight = Math.max(0, inFlight - 1);
  if (submitWhenIdle && inFlight === 0 && form) {
    submitWhenIdle = false;
    form.submit();
  }
});

document.body.addEventListener("htmx:sendError", () => {
  say("Not saved: the connection was lost. Your text is still here; it will be saved when you select “Save and continue” or type again once you are back online.");
});

document.body.addEventListener("htmx:beforeSwap", (event) => {
  // Show the server's message for refused saves (409 stale, 422 invalid) instead of ignoring it.
  const code = event.detail.xhr.status;
  if (code === 409 || code === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
    stopped = stopped || code === 409;
  } else if (code >= 500) {
    say("Not saved: the service had a problem. Your text is still here; try “Save and continue”.");
  }
});
