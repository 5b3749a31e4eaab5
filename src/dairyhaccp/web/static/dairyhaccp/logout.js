/* Logging out drops the registrations that still wait in this browser: ask first. */
(function () {
  "use strict";
  const QUEUE = "dairyhaccp-queue";

  function waiting() {
    try {
      return JSON.parse(window.localStorage.getItem(QUEUE) || "[]").length;
    } catch (error) {
      return 0;
    }
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirmWaiting) {
      return;
    }
    const count = waiting();
    if (count > 0 && !window.confirm(form.dataset.confirmWaiting.replace("%(count)s", count))) {
      event.preventDefault();
    }
  });
})();
