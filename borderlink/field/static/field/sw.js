// The field app's service worker, served from /field/sw.js (borderlink/field/views.py puts
// CONFIG above this line: the version of the assets, the shell's address, the assets). It keeps
// the app shell and its assets so the app starts with no network; entries are the page's
// business (IndexedDB), never cached here, and nothing is ever sent from a cache.
/* global CONFIG */
"use strict";

const CACHE = `borderlink-field-${CONFIG.version}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([CONFIG.shell, ...CONFIG.assets]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("borderlink-field-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// The shell: from the network when there is one (a new language, a new user), kept for when
// there is none. A redirect (to the login page) is never kept as the shell.
async function shell(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) await cache.put(CONFIG.shell, response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(CONFIG.shell);
    if (kept) return kept;
    throw error;
  }
}

async function asset(request) {
  const kept = await caches.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) (await caches.open(CACHE)).put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === CONFIG.shell) {
    event.respondWith(shell(request));
  } else if (CONFIG.assets.includes(url.pathname)) {
    event.respondWith(asset(request));
  }
});
