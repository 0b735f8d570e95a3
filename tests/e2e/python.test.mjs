// The book's own Python, live (`side: "python"`): Pyodide is fetched by the first Python run and
// never by page load; the book's code gives the kernels' checksums on small cases of Julia,
// diffusion and primes, π's estimate is within 0.03; the Python side's limits refuse with the
// field and offer the scaled-down case; cancel stops a long run within 5 s and the next run
// works; the panel's part runs it, shows the source, the load apart from the run, and the check.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage } from './harness.mjs';

let server, browser, page, errors;
const pyodideRequests = [];

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  browser.context.on('request', (r) => { if (/\/pyodide\/|python_stdlib|pyodide\.asm/.test(r.url())) pyodideRequests.push(r.url()); });
  ({ page, errors } = await openPage(browser.context, server.url));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const run = (spec) => page.evaluate((s) => window.parallax.run(s).catch((e) => ({ rejected: e })), spec);

test('page load fetches nothing of Pyodide; the first Python run does', async () => {
  await page.waitForFunction(() => document.body.dataset.firstPictures === 'true', null, { timeout: 30_000 });
  assert.deepEqual(pyodideRequests, [], 'nothing of Pyodide before a Python run');
  assert.equal((await page.evaluate(() => window.parallax.python())).loaded, false);
  const r = await run({ side: 'python', workload: 'primes', params: { task: 'check', n: '1000000007' } });
  assert.ok(!r.rejected, JSON.stringify(r.rejected));
  for (const file of ['pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide.mjs']) {
    assert.ok(pyodideRequests.some((u) => u.endsWith(`/pyodide/${file}`)), `${file} fetched from the page's origin: ${pyodideRequests}`);
  }
  assert.equal(r.loaded_now, true);
  assert.ok(r.load_ms > 0 && r.kernel_ms >= 0, JSON.stringify(r));
  const again = await run({ side: 'python', workload: 'primes', params: { task: 'check', n: '1000000007' } });
  assert.equal(again.loaded_now, false, 'loaded once');
});

test('the book\'s Python gives the kernels\' checksums on small cases, and π within 0.03', async () => {
  const cases = [
    { workload: 'julia', params: { width: 120, height: 90, max_iter: 300 } },
    { workload: 'diffusion', params: { width: 64, height: 64, steps: 30 } },
    { workload: 'primes', params: { task: 'check', n: '100000000003' } }, // a 12-digit prime
    { workload: 'primes', params: { task: 'check', n: '100000000001' } }, // 11 × 9090909091
    { workload: 'primes', params: { task: 'range', start: '100000000', end: '100002000' } },
  ];
  for (const c of cases) {
    const py = await run({ side: 'python', ...c });
    assert.ok(!py.rejected, `${JSON.stringify(c)}: ${JSON.stringify(py.rejected)}`);
    const rust = await run({ side: 'browser', ...c, variant: 'reference', threads: 1 });
    assert.equal(py.checksum, rust.checksum, `${JSON.stringify(c)}: Python ${py.checksum}, kernels ${rust.checksum}`);
    assert.equal(py.side, 'python');
    assert.ok(py.kernel_ms > 0 && py.units > 0, JSON.stringify(py));
  }
  const pi = await run({ side: 'python', workload: 'pi', params: { samples: '100000', seed: '3' } });
  assert.ok(Math.abs(pi.estimate - Math.PI) < 0.03, `estimate ${pi.estimate}`);
  assert.equal(pi.units, 100000);
});

test('the Python side refuses beyond its limits with the field and the scaled-down case, and tasks it has no Python for', async () => {
  const big = await run({ side: 'python', workload: 'diffusion', params: {} });
  assert.equal(big.rejected?.field, 'steps');
  assert.match(big.rejected.message, /allowed at most 120000000.*scaled-down case/);
  const count = await run({ side: 'python', workload: 'primes', params: { task: 'count' } });
  assert.equal(count.rejected?.field, 'task');
  const bad = await run({ side: 'python', workload: 'julia', params: { width: 0 } });
  assert.equal(bad.rejected?.field, 'width', 'the kernels\' own validation first');
  const side = await run({ side: 'pyodide', workload: 'julia' });
  assert.equal(side.rejected?.field, 'side');
});

test('cancel stops a long Python run within 5 s, and a load; the next run works', async () => {
  // The book's 18-digit prime: ≈ 158 million divisions, tens of seconds of Pyodide.
  await page.evaluate(() => {
    window.longRun = window.parallax.run({ side: 'python', workload: 'primes', params: {} }).catch((e) => ({ rejected: e }));
  });
  await page.waitForFunction(() => window.parallax.python().busy, null, { timeout: 10_000 });
  await new Promise((r) => setTimeout(r, 1000));
  const started = Date.now();
  await page.evaluate(() => window.parallax.cancel());
  const r = await page.evaluate(() => window.longRun);
  assert.ok(Date.now() - started < 5000, `stopped after ${Date.now() - started} ms`);
  assert.equal(r.rejected?.kind, 'cancelled', JSON.stringify(r));

  // The worker is gone: the primes panel's next Python run (the book's case) loads Pyodide again; a cancel during that
  // load settles the run and frees the page's run lock (the Run buttons come back).
  assert.equal((await page.evaluate(() => window.parallax.python())).loaded, false);
  await page.getByTestId('python-primes').locator('summary').first().click();
  await page.getByTestId('python-run-primes').click();
  await page.waitForFunction(() => window.parallax.python().progress !== null, null, { timeout: 10_000 });
  await page.getByTestId('python-cancel-primes').click();
  await page.getByTestId('python-status-primes').getByText(/^Cancelled/).waitFor({ timeout: 5000 });
  await page.waitForFunction(() => !document.querySelector('[data-testid="run-browser-primes"]').disabled, null, { timeout: 5000 });
  assert.equal(await page.getByTestId('python-run-primes').isDisabled(), false);

  const next = await run({ side: 'python', workload: 'pi', params: { samples: '1000' } });
  assert.ok(!next.rejected, JSON.stringify(next.rejected));
  assert.equal(next.loaded_now, true, 'a new worker loads Pyodide again');
});

test('the panel runs the book\'s Python beside Rust → wasm, shows the source, and offers the scaled-down case', async () => {
  const julia = page.getByTestId('panel-julia');
  await julia.locator('input[name="width"]').fill('100');
  await julia.locator('input[name="height"]').fill('80');
  await page.getByTestId('python-julia').locator('summary').first().click();
  await page.getByTestId('python-run-julia').click();
  await page.getByTestId('python-status-julia').getByText('Done.').waitFor({ timeout: 60_000 });
  assert.match(await page.getByTestId('python-check-julia').textContent(), /the kernels' too/);
  assert.match(await page.getByTestId('python-result-julia').textContent(), /Speed-up.*×/s);
  // The panel's Python run is one of the page's rows (exported with both sides' figures).
  const rows = await page.evaluate(() => window.parallax.exportResults().rows.filter((r) => r.workload === 'julia' && r.python));
  assert.equal(rows.length, 1, JSON.stringify(rows));
  assert.ok(rows[0].python.kernel_ms > 0 && rows[0].browser.kernel_ms > 0, JSON.stringify(rows[0]));
  await page.getByTestId('python-source-julia').locator('summary').click();
  await page.getByTestId('python-source-julia').getByText('def calculate_z_serial_purepython').waitFor({ timeout: 10_000 });

  const diffusion = page.getByTestId('panel-diffusion');
  await page.getByTestId('python-diffusion').locator('summary').first().click();
  await page.getByTestId('python-run-diffusion').click();
  await page.getByTestId('python-error-diffusion').getByText(/width × height × \(steps \+ 4\) = 528482304/).waitFor({ timeout: 10_000 });
  await page.getByTestId('python-scaled-diffusion').click();
  assert.equal(await diffusion.locator('input[name="width"]').inputValue(), '256');
  assert.ok(await page.getByTestId('python-error-diffusion').isHidden());
  assert.deepEqual(errors, []);
});

test('the ladder gains the live Python rung: π\'s book case is over the limit, so its scaled-down case, per dart', async () => {
  await page.getByTestId('ladder-python-pi').check();
  await page.getByTestId('measure-ladder-pi').click();
  await page.getByTestId('ladder-status-pi').getByText('Measured now.').waitFor({ timeout: 120_000 });
  const table = await page.getByTestId('table-ladder-pi').textContent();
  assert.match(table, /The book's Python, live: Pyodide [\d.]+ in this browser \(a scaled-down case/);
  assert.deepEqual(errors, []);
});
