// Warns before the session ends for want of use and offers to keep it. The page says how many
// seconds the session had left when it was served (data-idle-seconds-left); a request the page
// makes itself (a draft saved) starts the count again. When the time is up the page says so and
// links to the login, which returns here.
"use strict";
(function () {
  const box = document.getElementById("idle-warning");
  if (!box) return;
  const message = box.querySelector(".message");
  const stay = document.getElementById("stay-logged-in");
  const served = Number(box.dataset.idleSecondsLeft) || 0;
  // Warned two minutes before, or at half the time on a short timeout.
  const warnBefore = Math.min(120, served / 2);
  let endsAt = Date.now() + served * 1000;
  let ended = false;
  let login = "/login?next=" + encodeURIComponent(location.pathname + location.search) + "&reason=idle";

  function clock(seconds) {
    const m = Math.floor(seconds / 60);
    const s = seconds % 60;
    return m > 0 ? m + " min " + String(s).padStart(2, "0") + " s" : s + " s";
  }

  function end() {
    ended = true;
    box.hidden = false;
    stay.hidden = true;
    const a = document.createElement("a");
    a.href = login;
    a.textContent = "Log in again";
    const kept = document.getElementById("sign") ? " What you typed is kept as your draft." : "";
    message.replaceChildren(
      document.createTextNode("Your session has ended for want of use." + kept + " "), a);
  }

  function tick() {
    if (ended) return;
    const left = Math.round((endsAt - Date.now()) / 1000);
    if (left <= 0) {
      document.dispatchEvent(new CustomEvent("imr:session-ending"));
      end();
      return;
    }
    if (left <= warnBefore) {
      const kept = document.getElementById("sign") ? " What you typed is kept as your draft either way." : "";
      message.textContent = "Your session ends in " + clock(left) + " without use." + kept;
      box.hidden = false;
    } else {
      box.hidden = true;
    }
  }

  document.addEventListener("imr:session-used", function (event) {
    if (!ended && typeof event.detail === "number") endsAt = Date.now() + event.detail * 1000;
    tick();
  });
  document.addEventListener("imr:session-ended", function (event) {
    if (event.detail && event.detail.login) login = event.detail.login;
    end();
  });

  stay.addEventListener("click", async function () {
    const csrf = document.querySelector("input[name=csrf]");
    try {
      const response = await fetch("/session/keep", {
        method: "POST",
        body: new URLSearchParams({ csrf: csrf ? csrf.value : "" }),
        credentials: "same-origin",
        redirect: "manual",
      });
      if (response.ok) {
        const answer = await response.json();
        endsAt = Date.now() + answer.idle_seconds_left * 1000;
        tick();
      } else {
        end();
      }
    } catch (error) {
      message.textContent = "The server could not be reached; try again in a moment.";
    }
  });

  setInterval(tick, 1000);
  tick();
})();
