// The fallback build: served without COOP/COEP (`--no-isolation`) and with service workers
// blocked (so the isolation service worker cannot help), the page has no SharedArrayBuffer;
// `?build=plain` asks for the build without SIMD too (the one browsers without wasm SIMD get),
// which says so in words, still computes the same checksums, and cancels by restarting its
// worker. (The SIMD-only build of the same situation is tested in hosting.test.mjs.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage, screenshotPath } from './harness.mjs';
import { runAndRead, assertBothRow } from './ui.mjs';

let server, browser, page, errors;

before(async () => {
  server = await startServer(['--no-isolation']);
  browser = await launchBrowser({ serviceWorkers: 'block' });
  ({ page, errors } = await openPage(browser.context, `${server.url}/?build=plain`));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const run = (spec) => page.evaluate((s) => window.parallax.run(s).catch((e) => ({ rejected: e })), spec);

test('without isolation the plain build runs, single-threaded, and the page says why', async () => {
  const env = await page.evaluate(() => window.parallax.env());
  assert.equal(env.isolated, false);
  assert.equal(env.build, 'plain');
  assert.equal(env.threads, 1);
  assert.equal(env.simd, false);
  assert.match(env.why, /not cross-origin isolated/);
  const shown = await page.locator('[data-testid="env"]').textContent();
  assert.match(shown, /plain build runs because the page is not cross-origin isolated/);
  assert.deepEqual(errors, [], errors.join('\n'));
});

test('the plain build gives the same checksums as the server', async () => {
  for (const spec of [
    { workload: 'julia', params: {} },
    { workload: 'diffusion', params: { width: 300, height: 200, steps: 100 } },
    { workload: 'primes', params: { task: 'range', start: '100000000', end: '100100000' } },
  ]) {
    for (const variant of ['reference', 'simd']) {
      const b = await run({ ...spec, variant, side: 'browser' });
      const s = await run({ ...spec, variant, side: 'server' });
      assert.ok(!b.rejected, JSON.stringify(b));
      assert.equal(b.checksum, s.checksum, `${spec.workload} ${variant}`);
    }
  }
  const julia = await run({ workload: 'julia', side: 'browser' });
  assert.equal(julia.checksum, '33219980');
  const t2 = await run({ workload: 'julia', side: 'browser', threads: 2 });
  assert.equal(t2.rejected?.field, 'threads');
});

test('cancel stops a plain run by restarting the worker, and the next run works', async () => {
  const outcome = await page.evaluate(async () => {
    const spec = { side: 'browser', workload: 'julia', variant: 'reference', params: { width: 2048, height: 2048, max_iter: 4000 } };
    const result = window.parallax.run(spec).then((r) => ({ r }), (e) => ({ e: String(e?.message ?? e) }));
    await new Promise((r) => setTimeout(r, 500));
    const at = performance.now();
    window.parallax.cancel();
    const settled = await result;
    return { settled, ms: performance.now() - at };
  });
  assert.match(outcome.settled.e ?? '', /cancel/, JSON.stringify(outcome.settled));
  assert.ok(outcome.ms < 5000);
  const after = await run({ workload: 'julia', side: 'browser', params: { width: 64, height: 64 } });
  assert.ok(after.checksum, JSON.stringify(after));
});

test('through the panels, the plain build runs "both" with matching checksums', async () => {
  assert.match(await page.getByTestId('env-build').textContent(), /plain .*runs because the page is not cross-origin isolated/);
  assert.ok(await page.getByTestId('threads-julia').isDisabled(), 'one thread: nothing to choose');
  const row = await runAndRead(page, 'julia', 'both');
  assertBothRow(row, 'julia, plain build');
  assert.equal(row['browser-checksum'], '33219980');
  await page.getByTestId('preset-diffusion').selectOption({ label: '300 × 200, 100 steps' });
  const diffusion = await runAndRead(page, 'diffusion', 'both');
  assertBothRow(diffusion, 'diffusion, plain build');
  assert.equal(diffusion['browser-checksum'], '14917310898543537669');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByTestId('panel-diffusion').screenshot({ path: screenshotPath('ui-plain-diffusion.png') });
});
