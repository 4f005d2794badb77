// Kindred's service worker. The server fills in BUILD (a hash of this deployment's
// static files) when it serves this script, so every deployment is a new worker.
//
// What it keeps: the static assets (WASM, JS, CSS, icons) and the offline page, in a
// cache named after the build. What it never keeps: pages (they may hold private data)
// and API answers; those always go to the network, and a page that cannot be fetched
// is answered with the offline page.
//
// A deployment never leaves an old version stuck: every page response names its build
// (x-kindred-build); when that differs from this worker's, the worker stops answering
// assets from its cache (so the new page gets the new WASM) and asks the browser to
// fetch the new worker, which takes over at once and deletes the old cache.
const BUILD = "__BUILD__";
const CACHE = `kindred-${BUILD}`;
const OFFLINE = "/offline";
const PRECACHE = [
  OFFLINE,
  "/pkg/kindred.css",
  "/pkg/kindred.js",
  "/pkg/kindred.wasm",
  "/favicon.svg",
  "/icons/icon-192.png",
];
let outdated = false;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) =>
        Promise.all(
          PRECACHE.map((url) =>
            fetch(url, { cache: "reload" }).then((response) => {
              if (response.ok) return cache.put(url, response);
            }),
          ),
        ),
      )
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("kindred-") && name !== CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

function isAsset(url) {
  return (
    url.pathname.startsWith("/pkg/") ||
    url.pathname.startsWith("/icons/") ||
    url.pathname === "/favicon.svg"
  );
}

async function page(request) {
  try {
    const response = await fetch(request);
    const build = response.headers.get("x-kindred-build");
    if (build && build !== BUILD) {
      outdated = true;
      self.registration.update().catch(() => {});
    }
    return response;
  } catch (error) {
    const offline = await caches.match(OFFLINE, { cacheName: CACHE });
    return offline || Response.error();
  }
}

async function asset(request) {
  if (outdated) return fetch(request, { cache: "no-cache" });
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") {
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (isAsset(url)) {
    event.respondWith(asset(request));
  }
  // Everything else (API calls, exports, calendars) goes straight to the network.
});
