/* Registrations without a connection: a form marked data-offline-queue (a check, a task without
 * measurements) that is sent while the browser is offline is kept in this browser (localStorage)
 * with its idempotency key and sent when the connection returns. The server refuses a key it
 * stored before, so a registration is never stored twice. The element #offline-status says how
 * many wait. Whether the server can be reached is asked of the server itself (a HEAD of the
 * service worker's address, which the worker leaves to the network): navigator.onLine only says
 * that a network is there, and a dairy's wifi without a line out is one. */
(function () {
  "use strict";

  const QUEUE = "dairyhaccp-queue";
  const REFUSED = "dairyhaccp-refused";
  const RETRY_MS = 3000;
  /* The moment of a check (measured_at) or of a task (done_at). */
  const MOMENT = "input[name='measured_at'], input[name='done_at']";
  let sending = false;
  /* Whether the server answered when last asked. */
  let reachable = true;
  let retry = null;

  function read(name) {
    try {
      return JSON.parse(window.localStorage.getItem(name) || "[]");
    } catch (error) {
      return [];
    }
  }

  function write(name, items) {
    window.localStorage.setItem(name, JSON.stringify(items));
  }

  function newKey() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    const random = new Uint32Array(4);
    window.crypto.getRandomValues(random);
    return Array.from(random, (n) => n.toString(16).padStart(8, "0")).join("-");
  }

  function say(template, count) {
    return template.replace("{count}", String(count));
  }

  function showStatus() {
    const status = document.getElementById("offline-status");
    if (!status) return;
    const waiting = read(QUEUE).length;
    const refused = read(REFUSED).length;
    const parts = [];
    if (!navigator.onLine || !reachable) parts.push(status.dataset.offline);
    if (waiting === 1) parts.push(say(status.dataset.one, waiting));
    if (waiting > 1) parts.push(say(status.dataset.many, waiting));
    if (refused > 0) parts.push(say(status.dataset.refused, refused));
    status.textContent = parts.join(" ");
    status.hidden = parts.length === 0;
    status.dataset.waiting = String(waiting);
  }

  function freshKey(form) {
    const field = form.querySelector("input[name='idempotency_key']");
    if (field) field.value = newKey();
  }

  function localNow() {
    const now = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T${pad(now.getHours())}:${pad(now.getMinutes())}`;
  }

  function queue(form) {
    /* The time filled in when the page was loaded: the check is done now. */
    form.querySelectorAll(MOMENT).forEach((moment) => {
      if (moment.value === moment.defaultValue) moment.value = localNow();
    });
    const fields = [];
    new FormData(form).forEach((value, name) => {
      if (typeof value === "string") fields.push([name, value]);
    });
    const key = (form.querySelector("input[name='idempotency_key']") || {}).value || newKey();
    const items = read(QUEUE);
    items.push({ url: form.action || window.location.href, fields: fields, key: key, at: Date.now() });
    write(QUEUE, items);
    freshKey(form);
    form.reset();
    const saved = document.getElementById("offline-saved");
    if (saved) saved.hidden = false;
    showStatus();
    /* Sent when the server answers again, whether or not the browser tells that it is back. */
    later();
  }

  function probeUrl() {
    const script = document.querySelector("script[data-service-worker]");
    return script ? script.dataset.serviceWorker : null;
  }

  /* Ask the server whether it can be reached; the status says so. */
  async function probe() {
    const url = probeUrl();
    if (!navigator.onLine) {
      reachable = false;
    } else if (url) {
      try {
        await fetch(url, { method: "HEAD", cache: "no-store", credentials: "same-origin" });
        reachable = true;
      } catch (error) {
        reachable = false;
      }
    } else {
      reachable = true;
    }
    showStatus();
    return reachable;
  }

  async function sendOne(item) {
    const body = new URLSearchParams();
    item.fields.forEach(([name, value]) => body.append(name, value));
    if (!body.get("idempotency_key")) body.set("idempotency_key", item.key);
    const response = await fetch(item.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Offline-Queue": "1" },
    });
    return response.status;
  }

  /* One more try in a while (one at a time). */
  function later() {
    if (retry !== null) return;
    retry = window.setTimeout(() => {
      retry = null;
      flush();
    }, RETRY_MS);
  }

  async function flush() {
    if (sending || !navigator.onLine) return;
    sending = true;
    try {
      let items = read(QUEUE);
      while (items.length > 0) {
        const item = items[0];
        let status;
        try {
          status = await sendOne(item);
        } catch (error) {
          reachable = false;
          break; /* still no connection: try again later */
        }
        reachable = true;
        if (status >= 500) break;
        items = read(QUEUE).filter((other) => other.key !== item.key);
        write(QUEUE, items);
        if (status !== 201 && status !== 409) {
          const refused = read(REFUSED);
          refused.push(item);
          write(REFUSED, refused);
        }
        showStatus();
      }
    } finally {
      sending = false;
      showStatus();
      /* Still waiting (the network came back only in part): try again in a while. */
      if (read(QUEUE).length > 0 && navigator.onLine) later();
    }
  }

  function keepForms() {
    if (!("serviceWorker" in navigator) || !document.querySelector("[data-keep-forms]")) return;
    const urls = Array.from(document.querySelectorAll("a.duty"), (link) => link.href);
    navigator.serviceWorker.ready.then((registration) => {
      if (registration.active) registration.active.postMessage({ type: "keep", urls: urls });
    });
  }

  function start() {
    if ("serviceWorker" in navigator) {
      const script = document.querySelector("script[data-service-worker]");
      if (script) {
        navigator.serviceWorker.register(script.dataset.serviceWorker, { scope: "/" }).catch(() => null);
      }
      navigator.serviceWorker.addEventListener("message", (event) => {
        if (event.data && event.data.type === "kept") document.documentElement.dataset.formsKept = "1";
      });
    }
    document.querySelectorAll("form[data-offline-queue]").forEach((form) => {
      freshKey(form);
      form.addEventListener("submit", (event) => {
        /* Sent on, once the server answered. */
        if (form.dataset.reachable === "1") {
          delete form.dataset.reachable;
          return;
        }
        event.preventDefault();
        const submitter = event.submitter;
        probe().then((answered) => {
          if (!answered) {
            queue(form);
            return;
          }
          form.dataset.reachable = "1";
          if (submitter) form.requestSubmit(submitter);
          else form.requestSubmit();
        });
      });
    });
    window.addEventListener("online", () => {
      probe().then(flush);
    });
    window.addEventListener("offline", () => {
      reachable = false;
      showStatus();
    });
    showStatus();
    keepForms();
    probe().then(flush);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
