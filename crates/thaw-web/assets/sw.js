// Thaw's service worker: it makes Thaw installable and shows a page of its own when the server
// can't be reached. It keeps ONLY the public shell: the stylesheet, the script, the icons and the
// offline page (which lists crisis lines for every country and nothing about the person). It never
// stores a page, an API answer or anything else: every other request goes to the network exactly
// as if there were no worker. See docs/SECURITY.md ("The service worker").
"use strict";

// The server writes its asset hash here, so each build has a cache of its own.
var VERSION = "__VERSION__";
var CACHE = "thaw-shell-" + VERSION;
var OFFLINE = "/offline";
// The exact addresses the pages use (with `?v=`), so a page of another build never gets these.
var SHELL = [
  OFFLINE,
  "/assets/style.css?v=" + VERSION,
  "/assets/app.js?v=" + VERSION,
  "/assets/favicon.svg?v=" + VERSION,
  "/assets/icon-192.png?v=" + VERSION,
  "/assets/icon-512.png?v=" + VERSION,
  "/assets/icon-maskable-512.png?v=" + VERSION,
  "/assets/apple-touch-icon.png?v=" + VERSION,
];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      // Fetched fresh and without cookies: these are public, the same for everyone.
      return cache.addAll(SHELL.map(function (url) {
        return new Request(url, { cache: "reload", credentials: "omit" });
      }));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  // Every other cache (an older build's) goes.
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n !== CACHE; }).map(function (n) { return caches.delete(n); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  var key = url.pathname + url.search;
  if (SHELL.indexOf(key) !== -1 && key !== OFFLINE) {
    event.respondWith(
      caches.open(CACHE).then(function (cache) { return cache.match(key); }).then(function (hit) {
        return hit || fetch(request);
      })
    );
    return;
  }
  // Opening links carry a one-time secret: the browser handles them alone.
  if (url.pathname.indexOf("/open/") === 0 || url.searchParams.has("token")) return;
  if (request.mode === "navigate") {
    // The network, always; the offline page only when the server can't be reached at all.
    event.respondWith(
      fetch(request).catch(function () {
        return caches.open(CACHE).then(function (cache) { return cache.match(OFFLINE); }).then(function (page) {
          return page || Response.error();
        });
      })
    );
  }
  // Anything else (API calls, images of a page): not touched, not kept.
});
