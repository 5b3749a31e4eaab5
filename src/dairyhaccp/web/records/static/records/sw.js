/* The service worker of dairyhaccp, served at /sw.js (scope: the whole site).
 * Pages of the daily self-check (the today page, the forms it links to) are kept in a cache
 * as they are loaded, and answered from it when the network is gone; so are the static files
 * they use. Nothing else is touched; a POST always goes to the network. */
"use strict";

const CACHE = "dairyhaccp-day-v1";
const PAGES = /^\/[^/]+\/records\/(today\/|register\/[^/]+\/|tasks\/[^/]+\/)$/;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

function isPage(url) {
  return url.origin === self.location.origin && PAGES.test(url.pathname);
}

async function fromNetworkElseKept(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) {
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    /* Pages vary by language and cookie; the copy kept is this browser's own. */
    const cached = await cache.match(request, { ignoreVary: true });
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (isPage(url) || url.pathname.startsWith("/static/")) {
    event.respondWith(fromNetworkElseKept(request));
  }
});

/* A form kept less than this long ago is not fetched again for the cache. */
const FRESH_MS = 10 * 60 * 1000;

async function keep(cache, url) {
  const kept = await cache.match(url, { ignoreVary: true });
  const date = kept ? Date.parse(kept.headers.get("Date") || "") : NaN;
  if (!Number.isNaN(date) && Date.now() - date < FRESH_MS) return;
  try {
    const response = await fetch(url, { credentials: "same-origin" });
    if (response.ok && !response.redirected) await cache.put(url, response);
  } catch (error) {
    /* offline: keep what is kept */
  }
}

/* The today page asks to keep the forms it links to, so that they open without a network. */
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "keep" || !Array.isArray(data.urls)) return;
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      Promise.all(
        data.urls
          .map((href) => new URL(href, self.location.origin))
          .filter(isPage)
          .map((url) => keep(cache, url)),
      ).then(() => {
        if (event.source) event.source.postMessage({ type: "kept", count: data.urls.length });
      }),
    ),
  );
});
