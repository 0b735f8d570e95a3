// The page's build detection (www/kernels/features.js) with fake globals: each probe's failure gives its
// build and its reason in words, naming the engine; the engine is read from the user agent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detect, engineOf } from '../../www/kernels/features.js';

const UA = {
  chromium: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.8078.73 Safari/537.36',
  firefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0',
  webkitgtk: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/60.5 Safari/605.1.15',
  safari: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Safari/605.1.15',
  iosChrome: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1',
};

/** A worker that does what `behaviour` says with the memory posted to it; records termination. */
function fakeWorker(behaviour, log) {
  return class {
    constructor(url) { log.started = String(url); }
    postMessage(message) {
      if (behaviour === 'clone-error') {
        const e = new Error('The object can not be cloned.');
        e.name = 'DataCloneError';
        throw e;
      }
      if (behaviour === 'silent') return;
      setTimeout(() => {
        if (behaviour === 'shares') Atomics.add(new Int32Array(message.memory.buffer, 0, 1), 0, 1);
        this.onmessage({ data: { shared: true } }); // 'copies': answers without the write being seen
      }, 1);
    }
    terminate() { log.terminated = true; }
  };
}

function globals({ ua = UA.chromium, simd = true, isolated = true, memory = true, worker = 'shares', href = 'https://x.test/', log = {} } = {}) {
  return {
    navigator: { userAgent: ua },
    crossOriginIsolated: isolated,
    location: { href },
    Atomics,
    WebAssembly: {
      validate: () => simd,
      Memory: memory ? WebAssembly.Memory : class { constructor() { throw new TypeError('shared memory is disabled'); } },
    },
    Worker: fakeWorker(worker, log),
  };
}

const probe = (g) => detect(g, { probeUrl: 'share-probe.js', timeoutMs: 200 });

test('a browser that shares memory with a worker and validates SIMD gets threads + SIMD, no reason', async () => {
  const log = {};
  const f = await probe(globals({ log }));
  assert.equal(f.build, 'threads+simd');
  assert.equal(f.why, '');
  assert.equal(f.sharedMemory, true);
  assert.equal(log.started, 'share-probe.js');
  assert.equal(log.terminated, true, 'the probe worker is stopped');
});

test('not isolated: the SIMD build, because SharedArrayBuffer is off; no worker is tried', async () => {
  const log = {};
  const f = await probe(globals({ isolated: false, log }));
  assert.equal(f.build, 'simd');
  assert.match(f.why, /^the page is not cross-origin isolated \(no COOP\/COEP headers\), so SharedArrayBuffer is off$/);
  assert.equal(log.started, undefined);
});

test('isolated but the memory cannot be posted to a worker (WebKitGTK): the SIMD build, the engine and the error named', async () => {
  const log = {};
  const f = await probe(globals({ ua: UA.webkitgtk, worker: 'clone-error', log }));
  assert.equal(f.build, 'simd');
  assert.equal(f.why, 'WebKit 60.5 (JavaScriptCore) cannot share a WebAssembly memory with a worker (postMessage: DataCloneError: The object can not be cloned.), so no wasm threads');
  assert.equal(log.terminated, true);
});

test('isolated but no shared memory can be created: the SIMD build, and why', async () => {
  const f = await probe(globals({ ua: UA.firefox, memory: false }));
  assert.equal(f.build, 'simd');
  assert.equal(f.why, 'Firefox 153.0 (SpiderMonkey) cannot create a shared WebAssembly memory (TypeError: shared memory is disabled), so no wasm threads');
});

test('a worker that never answers, or sees only a copy, means no threads', async () => {
  const silent = await probe(globals({ worker: 'silent' }));
  assert.equal(silent.build, 'simd');
  assert.match(silent.why, /did not answer within 0.2 s/);
  const copies = await probe(globals({ worker: 'copies' }));
  assert.equal(copies.build, 'simd');
  assert.match(copies.why, /only as a copy/);
});

test('no SIMD: the plain build, with both reasons when there are no threads either', async () => {
  const f = await probe(globals({ ua: UA.safari, simd: false }));
  assert.equal(f.build, 'plain');
  assert.equal(f.why, 'WebKit 18.2 (JavaScriptCore) has no WebAssembly SIMD');
  const both = await probe(globals({ simd: false, isolated: false }));
  assert.equal(both.build, 'plain');
  assert.match(both.why, /not cross-origin isolated.*; Chromium 156 \(V8\) has no WebAssembly SIMD$/);
});

test('?build= forces a smaller build only', async () => {
  assert.equal((await probe(globals({ href: 'https://x.test/?build=plain' }))).build, 'plain');
  const f = await probe(globals({ simd: false, href: 'https://x.test/?build=simd' }));
  assert.equal(f.build, 'plain', 'a build the browser cannot run is never forced');
});

test('the engine is read from the user agent; every iOS browser is WebKit', () => {
  assert.deepEqual(engineOf(UA.chromium), { name: 'chromium', version: '156', label: 'Chromium 156 (V8)' });
  assert.deepEqual(engineOf(UA.firefox), { name: 'firefox', version: '153.0', label: 'Firefox 153.0 (SpiderMonkey)' });
  assert.equal(engineOf(UA.webkitgtk).name, 'webkit');
  assert.equal(engineOf(UA.safari).version, '18.2');
  assert.equal(engineOf(UA.iosChrome).name, 'webkit');
  assert.equal(engineOf('').name, 'unknown');
});
