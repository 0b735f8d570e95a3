// Cross-origin isolation on hosts that cannot send headers (GitHub Pages and the like): a
// classic script, run before the page's modules, that registers the service worker
// `isolation-sw.js` (the coi-serviceworker package, which adds COOP/COEP to every response of
// this origin) and reloads the page once, so that SharedArrayBuffer and wasm threads work.
// - Served with the headers already (parallax-server), the page is isolated: nothing happens.
// - It reloads at most once per tab session (a flag in sessionStorage), so it can never loop.
// - Where service workers are missing (some private windows, an insecure context, a blocking
//   policy) it gives up and says why; the page then runs the best build it can without threads.
// The outcome is `window.parallaxIsolation = { source: 'headers' | 'service worker' | 'none' |
// 'reloading', why }`, which the page shows and records with its results.
(() => {
  const RELOADED = 'parallax-isolation-reloaded';
  const state = (source, why = '') => { window.parallaxIsolation = { source, why }; };
  const sw = navigator.serviceWorker;
  if (window.crossOriginIsolated) {
    sessionStorage.removeItem(RELOADED);
    state(sw && sw.controller ? 'service worker' : 'headers');
    return;
  }
  if (!window.isSecureContext) return state('none', 'the page is not a secure context (http:// other than localhost), so it cannot use a service worker');
  if (!sw) return state('none', 'this browser offers no service workers here (a private window, or a policy that blocks them)');
  if (sw.controller && sessionStorage.getItem(RELOADED)) {
    return state('none', 'the isolation service worker controls the page, but the page is still not isolated');
  }
  state('reloading', 'registering the isolation service worker; the page reloads once');
  const src = new URL('isolation-sw.js', document.currentScript.src);
  sw.register(src).then(() => sw.ready).then(() => {
    if (sessionStorage.getItem(RELOADED)) {
      state('none', 'the isolation service worker did not isolate the page after one reload');
      return;
    }
    sessionStorage.setItem(RELOADED, '1');
    window.location.reload();
  }, (e) => state('none', `the isolation service worker could not be registered (${e && e.message ? e.message : e})`));
})();
