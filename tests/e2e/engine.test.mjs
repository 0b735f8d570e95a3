// The browser engine end to end (issue: the kernels in the browser): the real page, served by
// the real server, in headless Chromium. Every landed workload's book case on both sides, the
// module's SIMD and shared memory, a responsive main thread, progress, cancel, panic recovery.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, launchBrowser, openPage, ROOT } from './harness.mjs';

let server, browser, page, errors, readyMs;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  ({ page, errors, readyMs } = await openPage(browser.context, server.url));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const run = (spec) => page.evaluate((s) => window.parallax.run(s).catch((e) => ({ rejected: e })), spec);

/** The book cases of docs/workloads.md and their check values (summary fields included). */
const BOOK = [
  { workload: 'julia', params: {}, expect: { checksum: '33219980', iterations: '33219980', max: 300 } },
  { workload: 'diffusion', params: { width: 256, height: 256, steps: 500 },
    expect: { checksum: '9144763523592153741', sum: 3.379999999999998, max: 0.0032486906758164903 } },
  { workload: 'primes', params: { task: 'check', n: '100109100129162907' }, expect: { checksum: '1', is_prime: true, factor: null } },
  { workload: 'primes', params: { task: 'range' },
    expect: { checksum: '5447899551826', count: '54208', first: '100000007', last: '100999993' } },
  { workload: 'primes', params: { task: 'count', limit: '10000000' }, expect: { checksum: '664579', count: '664579' } },
];

test('the page loads cross-origin isolated, with no console error and a pool of hardwareConcurrency threads', async () => {
  const env = await page.evaluate(() => window.parallax.env());
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  assert.equal(env.isolated, true);
  assert.equal(env.threads, cores);
  assert.equal(env.simd, true);
  assert.equal(env.build, 'threads+simd');
  assert.ok(env.server?.version, 'the server facts are there');
  assert.deepEqual(errors, [], errors.join('\n'));
  console.log(`# parallax.ready after ${readyMs} ms`);
});

test('every book case gives the check values in the browser and on the server, for each variant and thread count', async () => {
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  for (const c of BOOK) {
    for (const variant of ['reference', 'simd']) {
      if (variant === 'reference' && c.params.task === 'check') continue; // seconds of plain trial division: covered natively
      for (const threads of [1, cores]) {
        const results = {};
        for (const side of ['browser', 'server']) {
          const r = await run({ side, workload: c.workload, params: c.params, variant, threads });
          assert.ok(!r.rejected, `${side} ${c.workload} ${variant} t${threads}: ${JSON.stringify(r.rejected)}`);
          for (const [k, v] of Object.entries(c.expect)) {
            assert.deepEqual(r[k], v, `${side} ${c.workload} ${JSON.stringify(c.params)} ${variant} t${threads}: ${k}`);
          }
          assert.equal(typeof r.kernel_ms, 'number');
          results[side] = r.checksum;
        }
        assert.equal(results.browser, results.server);
      }
    }
  }
});

// Bad input on both sides is in tests/engines/core.test.mjs, run in every engine.

test('the module really has SIMD instructions and shared memory', () => {
  const wasm = join(ROOT, 'dist', 'parallax-web_bg.wasm');
  const text = execFileSync(join(ROOT, 'www', 'node_modules', '.bin', 'wasm-dis'), [wasm], { maxBuffer: 1 << 28 }).toString();
  const f64x2 = (text.match(/f64x2\./g) || []).length;
  assert.ok(f64x2 > 50, `only ${f64x2} f64x2 instructions`);
  const memory = text.match(/\(import "[^"]*" "memory" \(memory [^)]*\)\)/);
  assert.ok(memory && / shared\)\)$/.test(memory[0]), `memory is not shared: ${memory?.[0]}`);
  console.log(`# ${f64x2} f64x2 instructions; .wasm ${readFileSync(wasm).length} bytes`);
});

test('the main thread stays responsive during a long run; progress advances; cancel stops it within 5 s', async () => {
  const outcome = await page.evaluate(async () => {
    let frames = 0, running = true;
    const tick = () => { frames++; if (running) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    const spec = { side: 'browser', workload: 'julia', variant: 'reference', threads: 1,
                   params: { width: 2048, height: 2048, max_iter: 4000 } };
    const started = performance.now();
    const result = window.parallax.run(spec).then((r) => ({ r }), (e) => ({ e }));
    await new Promise((r) => setTimeout(r, 1500));
    const progress = window.parallax.progress();
    const framesDuringRun = frames;
    const cancelAt = performance.now();
    window.parallax.cancel();
    const settled = await result;
    running = false;
    return { framesDuringRun, progress, settled, cancelMs: performance.now() - cancelAt, ranMs: cancelAt - started };
  });
  assert.ok(outcome.framesDuringRun > 20, `only ${outcome.framesDuringRun} frames in 1.5 s`);
  assert.ok(outcome.progress.done > 0 && outcome.progress.done < outcome.progress.total, JSON.stringify(outcome.progress));
  assert.ok(outcome.settled.e, `the run was not cancelled: ${JSON.stringify(outcome.settled)}`);
  assert.match(outcome.settled.e.message, /cancel/);
  assert.ok(outcome.cancelMs < 5000, `cancel took ${outcome.cancelMs} ms`);
  const after = await run({ side: 'browser', workload: 'julia', params: { width: 100, height: 100 } });
  assert.ok(after.checksum, 'the engine works after a cancel');
});

test('a panic in a pool thread is reported and the next run succeeds', async () => {
  const panicked = await page.evaluate(() => window.parallax.panic(true).then(() => null, (e) => e));
  assert.ok(panicked, 'the panic was not reported');
  assert.match(panicked.message, /forced panic in a pool thread/);
  const after = await run({ side: 'browser', workload: 'julia', params: { width: 64, height: 64 } });
  assert.ok(!after.rejected, JSON.stringify(after));
  const reference = await run({ side: 'server', workload: 'julia', params: { width: 64, height: 64 } });
  assert.equal(after.checksum, reference.checksum);
});
