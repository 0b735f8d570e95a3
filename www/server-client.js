// Runs on the server (`POST /api/<workload>`, the API of README) and says what went wrong in
// words. A picture comes as the server's own PNG (`?format=png`), a result buffer as its raw
// bytes (`?format=raw`, a primes range's u64 list): one request per run, with the checksum in
// `X-Checksum` and the kernel and queue times in `Server-Timing`. Aborting the signal drops the
// request, and the server then stops the kernel.

const CANCELLED = { field: null, message: 'cancelled', kind: 'cancelled', status: 0 };

/** The API's origin: `?api=` of the page's address (a page on a static host, its API on
 *  another origin), else the page's own. */
export const API = apiOrigin();

function apiOrigin() {
  const given = new URL(self.location.href).searchParams.get('api');
  try {
    return given ? new URL(given).origin : self.location.origin;
  } catch {
    return self.location.origin;
  }
}

/** The URL of an API path (`/api/...`). */
export function apiUrl(path) {
  return `${API}${path}`;
}

// A connection the page's CSP blocked says so in a `securitypolicyviolation` event, not in the
// fetch's TypeError: remember the origins it named, to tell a CSP block from a server that is
// down or one that refused the page's origin (CORS).
const cspBlocked = new Set();
self.addEventListener?.('securitypolicyviolation', (e) => {
  try { cspBlocked.add(new URL(e.blockedURI).origin); } catch { /* not a URL */ }
});

/** Why a fetch of the API failed with a network error, in words. A refused origin (no CORS
 *  permission) and a server that is down look the same to the page, but a `no-cors` request
 *  still reaches a server that is up: it resolves (opaque) where a dead server rejects. */
export async function unreachable(e) {
  await new Promise((r) => setTimeout(r, 0)); // the CSP event is queued after the rejection
  if (cspBlocked.has(API)) {
    return `the page's Content-Security-Policy does not allow connecting to ${API} (its connect-src); browser runs still work`;
  }
  if (API !== self.location.origin) {
    const up = await fetch(apiUrl('/api/info'), { mode: 'no-cors' }).then(() => true, () => false);
    if (up) {
      return `the API at ${API} refused this page's origin ${self.location.origin} (no CORS permission: start it with --allow-origin ${self.location.origin}); browser runs still work`;
    }
  }
  return `the server is unreachable (${e.message}); browser runs still work`;
}

/**
 * Runs `body` (JSON text) on the server → its answer ({ workload, variant, threads, lanes,
 * checksum, kernel_ms, queue_ms, ...summary }) and round_trip_ms; for a png or raw answer
 * { checksum, kernel_ms, queue_ms, round_trip_ms, image (Blob) | buffer (ArrayBuffer) }.
 * Rejects with { field, message, status, kind }
 * (kind 'cancelled' when the signal aborted it).
 */
export async function runOnServer(workload, body, { format = 'json', map = 'fire', signal } = {}) {
  const query = format === 'png' ? `?format=png&map=${encodeURIComponent(map)}` : format === 'raw' ? '?format=raw' : '';
  const started = performance.now();
  let response;
  try {
    response = await fetch(apiUrl(`/api/${encodeURIComponent(workload)}${query}`), {
      method: 'POST', headers: { 'content-type': 'application/json' }, body, signal,
    });
  } catch (e) {
    if (signal?.aborted) throw CANCELLED;
    throw { field: null, message: await unreachable(e), status: 0 };
  }
  if (!response.ok) throw await refusal(response);
  let out;
  try {
    if (format === 'json') {
      out = await response.json();
    } else {
      const timing = serverTiming(response.headers.get('server-timing'));
      const checksum = response.headers.get('x-checksum');
      const bytes = await response.arrayBuffer();
      out = { checksum, kernel_ms: timing.kernel, queue_ms: timing.queue };
      if (format === 'png') out.image = new Blob([bytes], { type: 'image/png' });
      else out.buffer = bytes;
    }
  } catch (e) {
    if (signal?.aborted) throw CANCELLED;
    throw { field: null, message: `the server's answer could not be read: ${e.message}`, status: response.status };
  }
  // Which replica answered, when the server was started with --instance (docs/deploy.md).
  const instance = response.headers.get('x-parallax-instance');
  return { ...out, round_trip_ms: performance.now() - started, ...(instance ? { instance } : {}) };
}

/** The server's pool as `/api/info` says: { running, waiting, capacity }, or null if it cannot. */
export async function serverQueue(signal) {
  try {
    const r = await fetch(apiUrl('/api/info'), { signal });
    return r.ok ? (await r.json()).queue ?? null : null;
  } catch {
    return null;
  }
}

/** A refused or failed run in words: the server's JSON error, or what the status means. */
async function refusal(response) {
  const json = await response.json().catch(() => null);
  const status = response.status;
  const field = json?.error?.field ?? null;
  let message = json?.error?.message;
  if (status === 503 || status === 429) {
    // 429: this visitor already has a run waiting (one per visitor); 503: the queue is full.
    const after = response.headers.get('retry-after');
    const why = message ?? (status === 429 ? 'you already have a run waiting' : 'its queue is full');
    message = `the server is busy (${why})${after ? `: try again in ${after} s` : ''}`;
  } else if (status === 504) {
    message = `the server stopped the run at its time limit (${message ?? 'timeout'})`;
  } else if (!message) {
    message = `the server answered HTTP ${status} ${response.statusText}`.trim();
  }
  return { field, message, status };
}

/** `kernel;dur=9.0, queue;dur=0.002` → { kernel: 9.0, queue: 0.002 } (milliseconds). */
export function serverTiming(header) {
  const out = {};
  for (const part of (header ?? '').split(',')) {
    const m = /^\s*([\w-]+)\s*;.*\bdur=([\d.]+)/.exec(part);
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}
