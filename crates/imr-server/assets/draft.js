// The sign form kept as a draft on the server while it is typed: a moment after each change the
// form is posted to its draft address (the form's data-draft). Without this script the form is
// kept on every preview. A form posted after the session ended is kept all the same; the
// server answers where to log in, and the page says so.
"use strict";
(function () {
  const form = document.getElementById("sign");
  if (!form || !form.dataset.draft) return;
  const status = document.getElementById("draft-status");
  const QUIET_MS = 1500;
  let timer = null;
  let sending = false;
  let again = false;

  function say(text, link) {
    if (!status) return;
    status.replaceChildren(document.createTextNode(text));
    if (link) {
      const a = document.createElement("a");
      a.href = link;
      a.textContent = "Log in again";
      status.append(" ", a);
    }
  }

  async function save() {
    timer = null;
    if (sending) {
      again = true;
      return;
    }
    sending = true;
    try {
      const response = await fetch(form.dataset.draft, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        credentials: "same-origin",
        redirect: "manual",
      });
      if (response.status === 401) {
        const answer = await response.json();
        say(answer.kept
          ? "Your session ended; your draft was kept."
          : "Your session ended; the last changes could not be kept.", answer.login);
        document.dispatchEvent(new CustomEvent("imr:session-ended", { detail: answer }));
      } else if (response.type === "opaqueredirect") {
        say("Your session ended; the last changes could not be kept.", "/login");
        document.dispatchEvent(new CustomEvent("imr:session-ended", { detail: {} }));
      } else if (response.ok) {
        const answer = await response.json();
        say("Draft saved " + answer.saved_at + ".");
        document.dispatchEvent(
          new CustomEvent("imr:session-used", { detail: answer.idle_seconds_left }));
      } else {
        say("The draft could not be saved just now; it is saved again at the next change, and on preview.");
      }
    } catch (error) {
      say("The draft could not be saved (no connection); it is saved again at the next change.");
    } finally {
      sending = false;
      if (again) {
        again = false;
        later();
      }
    }
  }

  function later() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, QUIET_MS);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
  // Before the session ends, what is waiting to be saved is saved at once.
  document.addEventListener("imr:session-ending", function () {
    if (timer) {
      clearTimeout(timer);
      save();
    }
  });
})();
