// The idle-timeout warning. A few minutes before the session would end, a dialog offers
// "Stay signed in", which tells the server without reloading the page, so nothing typed is
// lost. If the session has ended anyway, the page keeps its text: forms are held back until
// the user has signed in again in another tab and chosen "Carry on", which brings this page a
// fresh CSRF token so that its forms can be sent.
const dialog = document.getElementById("session-timeout");

if (dialog && typeof dialog.showModal === "function") {
  const statusUrl = dialog.dataset.statusUrl;
  const user = dialog.dataset.user;
  const idleMs = Number(dialog.dataset.idleSeconds) * 1000;
  const warningMs = Number(dialog.dataset.warningSeconds) * 1000;
  const warning = dialog.querySelector("[data-timeout-state='warning']");
  const ended = dialog.querySelector("[data-timeout-state='ended']");
  const countdown = dialog.querySelector("[data-timeout-countdown]");
  const problem = dialog.querySelector("[data-timeout-problem]");
  let deadline = Date.now() + idleMs;
  let timer = null;
  let ticker = null;
  let signedOut = false;

  const csrfToken = () => {
    const input = document.querySelector("input[name='csrfmiddlewaretoken']");
    return input ? input.value : "";
  };

  const ask = async (method) => {
    const response = await fetch(statusUrl, {
      method,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
    });
    if (!response.ok) {
      return { signed_in: false };
    }
    return response.json();
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(0, deadline - warningMs - Date.now()));
  };

  const words = (ms) => {
    const minutes = Math.ceil(ms / 60000);
    if (ms > 60000) {
      return `${minutes} minutes`;
    }
    const seconds = Math.max(0, Math.ceil(ms / 1000));
    return seconds === 1 ? "1 second" : `${seconds} seconds`;
  };

  const open = (state) => {
    warning.hidden = state !== "warning";
    ended.hidden = state !== "ended";
    const prefix = state === "warning" ? "session-timeout" : "session-ended";
    dialog.setAttribute("aria-labelledby", `${prefix}-heading`);
    dialog.setAttribute("aria-describedby", `${prefix}-text`);
    if (!dialog.open) {
      dialog.showModal();
    }
    if (state === "ended") {
      ended.querySelector("h2").focus();
    }
  };

  const close = () => {
    clearInterval(ticker);
    if (dialog.open) {
      dialog.close();
    }
  };

  const showEnded = () => {
    signedOut = true;
    clearTimeout(timer);
    clearInterval(ticker);
    open("ended");
  };

  const showWarning = () => {
    countdown.textContent = words(deadline - Date.now());
    open("warning");
    clearInterval(ticker);
    ticker = setInterval(() => {
      const left = deadline - Date.now();
      countdown.textContent = words(left);
      if (left <= 0) {
        clearInterval(ticker);
        check();
      }
    }, 1000);
  };

  const adopt = (state) => {
    deadline = Date.now() + state.seconds_left * 1000;
    document.querySelectorAll("input[name='csrfmiddlewaretoken']").forEach((input) => {
      input.value = state.csrf_token;
    });
  };

  async function check() {
    let state;
    try {
      state = await ask("GET");
    } catch {
      schedule(); // offline for now: the server decides when it is back
      return;
    }
    if (!state.signed_in || String(state.user) !== user) {
      showEnded();
      return;
    }
    adopt(state);
    if (deadline - Date.now() > warningMs + 5000) {
      close(); // used in another tab meanwhile
      schedule();
    } else {
      showWarning();
    }
  }

  const stay = async () => {
    try {
      const state = await ask("POST");
      if (!state.signed_in) {
        showEnded();
        return;
      }
      adopt(state);
      close();
      schedule();
    } catch {
      countdown.textContent = words(deadline - Date.now());
    }
  };

  const carryOn = async () => {
    let state = { signed_in: false };
    try {
      state = await ask("GET");
    } catch {
      // stays signed out below
    }
    if (state.signed_in && String(state.user) === user) {
      signedOut = false;
      adopt(state);
      close();
      schedule();
      return;
    }
    problem.hidden = false;
    problem.textContent = state.signed_in
      ? "You are signed in as someone else. Sign in with your own account in the other tab."
      : "You are not signed in yet. Sign in in the other tab first.";
  };

  dialog.querySelector("[data-timeout-action='stay']").addEventListener("click", stay);
  dialog.querySelector("[data-timeout-action='carry-on']").addEventListener("click", carryOn);
  dialog.addEventListener("cancel", (event) => {
    // Escape: staying is the safe choice while signed in; once signed out, keep the dialog.
    event.preventDefault();
    if (!signedOut) {
      stay();
    }
  });

  // Held back while signed out: sending would only lead to the sign-in page, losing the text.
  document.addEventListener(
    "submit",
    (event) => {
      if (signedOut && event.target.id !== "session-timeout-sign-out") {
        event.preventDefault();
        event.stopPropagation(); // nor let the autosave think the form is being sent
        showEnded();
      }
    },
    true,
  );

  document.body.addEventListener("htmx:beforeRequest", (event) => {
    if (signedOut) {
      event.preventDefault();
    }
  });
  document.body.addEventListener("htmx:afterRequest", (event) => {
    const xhr = event.detail.xhr;
    if (xhr.status === 401 || (xhr.responseURL && xhr.responseURL.includes("/accounts/sign-in/"))) {
      showEnded();
    } else if (event.detail.successful) {
      deadline = Date.now() + idleMs; // the server counted this request as activity
      schedule();
    }
  });
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const xhr = event.detail.xhr;
    if (xhr.responseURL && xhr.responseURL.includes("/accounts/sign-in/")) {
      event.detail.shouldSwap = false; // never put the sign-in page into a status message
    }
  });

  schedule();
}
