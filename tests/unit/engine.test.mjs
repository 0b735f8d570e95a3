// The kernels' engine (www/kernels/engine.js) against fake workers: a worker whose module loaded
// but that is stuck starting is replaced once, and a second stuck start leaves the engine broken
// with the reason in words — the page then says so instead of waiting forever; a module still
// loading (a slow link) is not timed.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../www/kernels/engine.js';

/** Fake module workers: each says its module loaded (unless `loads` is false), and the n-th one
 *  started answers `hello` when `answers(n)` says so. */
function fakeWorkers(answers, { loads = true } = {}) {
  const started = [];
  globalThis.Worker = class {
    constructor(url) {
      this.url = String(url);
      this.n = started.push(this);
      this.terminated = false;
      if (loads) setTimeout(() => !this.terminated && this.onmessage({ data: { loaded: true } }), 1);
    }
    postMessage({ id, type }) {
      if (type === 'hello' && answers(this.n)) {
        setTimeout(() => !this.terminated && this.onmessage({ data: { id, ok: true, value: { worker: this.n, startup: {} } } }), 5);
      }
    }
    terminate() { this.terminated = true; }
  };
  return started;
}

afterEach(() => { delete globalThis.Worker; });

test('a worker stuck starting is replaced once; the second start gives the facts', async () => {
  const started = fakeWorkers((n) => n === 2);
  const engine = new Engine('threads+simd', { startTimeoutsMs: [50, 50] });
  const facts = await engine.ready;
  assert.equal(facts.worker, 2);
  assert.equal(facts.startup.attempts, 2, 'the facts say the start was replaced');
  assert.equal(started.length, 2);
  assert.equal(started[0].terminated, true, 'the stuck worker is terminated');
  assert.equal(started[1].terminated, false);
  assert.equal(engine.broken, null);
  assert.ok(started[0].url.endsWith('/kernels/worker.js'), started[0].url);
});

test('two stuck starts leave the engine broken, with the reason in words', async () => {
  const started = fakeWorkers(() => false);
  const engine = new Engine('simd', { startTimeoutsMs: [10, 30] });
  await assert.rejects(engine.ready, (e) => /the kernels' module loaded, but its worker did not start within 0\.03 s/.test(e.message) && e.kind === 'worker');
  assert.equal(started.length, 2, 'one replacement, not a loop');
  assert.ok(started.every((w) => w.terminated));
  assert.match(engine.broken, /did not start/);
  assert.match(started[1].url, /\/kernels\/worker\.js\?build=simd$/);
});

test('a worker that answers in time is kept', async () => {
  const started = fakeWorkers(() => true);
  const engine = new Engine(Promise.resolve('threads+simd'), { startTimeoutsMs: [1000, 1000] });
  assert.equal((await engine.ready).worker, 1);
  assert.equal(started.length, 1);
  assert.ok(Number.isFinite(engine.facts.startup.ready_ms));
});

test('a module still loading is not timed: no replacement, however long', async () => {
  const started = fakeWorkers(() => false, { loads: false });
  const engine = new Engine('threads+simd', { startTimeoutsMs: [20, 20] });
  const settled = await Promise.race([engine.ready.then(() => 'resolved', () => 'rejected'), new Promise((r) => setTimeout(() => r('pending'), 150))]);
  assert.equal(settled, 'pending');
  assert.equal(started.length, 1);
  assert.equal(started[0].terminated, false);
});
