// The isolation service worker (registered by www/isolation.js): the coi-serviceworker
// package's, which answers every request of the page with COOP/COEP (require-corp) added, so the
// page is cross-origin isolated on a host that sends no headers. Requests to the API (any
// `/api/` path, of this origin or another one named by `?api=`) go past it untouched: the
// listener below runs first and stops the package's from answering them, so they reach the
// network as the page sent them (aborts, streaming and CORS as usual).
self.addEventListener('fetch', (event) => {
  if (new URL(event.request.url).pathname.includes('/api/')) event.stopImmediatePropagation();
});
importScripts('./coi-serviceworker.js');
