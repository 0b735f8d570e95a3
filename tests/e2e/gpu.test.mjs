// The GPU side (docs/gpu.md) in headless Chromium on its software adapter (SwiftShader, with
// --enable-unsafe-webgpu on http://127.0.0.1): π's counts equal the server's to the dart,
// including the window past 2³²; the Julia set in f32 agrees with the f32 kernels; the f32
// kernels equal each other natively and in wasm; refusals in words; a GPU-vs-server comparison;
// cancel; the panel's part. And without the flag: the page says why, and every other side works.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage, screenshotPath } from './harness.mjs';
import { VIEWPORTS } from './ui.mjs';

let server, browser, page, errors;

before(async () => {
  server = await startServer();
  browser = await launchBrowser({}, ['--enable-unsafe-webgpu']);
  ({ page, errors } = await openPage(browser.context, server.url));
  await page.setViewportSize(VIEWPORTS.desktop);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A run without its picture; a rejection as `{ rejected }`. */
const run = (p, spec) => p.evaluate((s) => window.parallax.run(s).then(({ picture: _p, ...r }) => r, (e) => ({ rejected: e })), spec);

test('the page finds the software adapter and names it in "Where it runs"', async () => {
  const status = await page.evaluate(() => window.parallax.gpu.status());
  assert.equal(status.available, true, JSON.stringify(status));
  assert.equal(status.adapter.fallback, true, 'SwiftShader is a software adapter');
  assert.ok(status.adapter.limits.max_storage_buffer_binding_size >= 2 ** 27);
  await page.waitForFunction(() => window.parallax.env().gpu !== null);
  const line = await page.getByTestId('env-gpu').textContent();
  assert.match(line, /swiftshader/i);
  assert.match(line, /software adapter/);
  assert.match(await page.locator('#env-summary').textContent(), /GPU: .*swiftshader/i);
});

test('π on the GPU counts the darts the server counts, to the dart', async () => {
  const cases = [
    { samples: 1000 },
    { samples: '1000000', seed: '0' },
    // Not a multiple of the workgroup (1,024 darts) nor of a dispatch (2²²).
    { samples: '4194401', seed: '12345' },
    { samples: '77777', seed: '1099511627779' },
  ];
  for (const params of cases) {
    const gpu = await run(page, { side: 'gpu', workload: 'pi', params });
    const cpu = await run(page, { side: 'server', workload: 'pi', params });
    assert.ok(!gpu.rejected, JSON.stringify(gpu.rejected));
    assert.equal(gpu.checksum, cpu.checksum, JSON.stringify(params));
    assert.equal(gpu.inside, cpu.inside);
    assert.equal(gpu.estimate, cpu.estimate);
    assert.equal(gpu.side, 'gpu');
    assert.ok(gpu.kernel_ms > 0);
    assert.match(gpu.adapter.architecture, /swiftshader/i);
  }
  const book = await run(page, { side: 'gpu', workload: 'pi', params: { samples: '1000000' } });
  assert.equal(book.checksum, '785712', 'docs/workloads.md: 10⁶ darts of seed 0 → 785,712 inside');
  assert.equal((await run(page, { side: 'gpu', workload: 'pi', params: { samples: 1000 } })).checksum, '779');
});

test('π past 2³²: the 1,000 darts of seed 7 from index 2³² − 500 hold 795 inside', async () => {
  const inside = await page.evaluate(() => window.parallax.gpu.countDarts({ seed: 7, start: 2 ** 32 - 500, samples: 1000 }));
  assert.equal(inside, 795);
  // The two halves add up: the counter's second word is carried within a dispatch.
  const halves = await page.evaluate(async () => {
    const below = await window.parallax.gpu.countDarts({ seed: 7, start: 2 ** 32 - 500, samples: 500 });
    const above = await window.parallax.gpu.countDarts({ seed: 7, start: 2 ** 32, samples: 500 });
    return below + above;
  });
  assert.equal(halves, 795);
});

test('the Julia set in f32: the GPU agrees with the f32 kernels, which equal each other natively and in wasm', async () => {
  const cases = [
    {},
    { width: 640, height: 480, max_iter: 500 },
    { width: 333, height: 257, max_iter: 500, c_re: 0, c_im: 1 },
  ];
  for (const base of cases) {
    const params = { ...base, precision: 'f32' };
    const gpu = await run(page, { side: 'gpu', workload: 'julia', params });
    assert.ok(!gpu.rejected, JSON.stringify(gpu.rejected));
    const a = gpu.agreement;
    assert.equal(a.total_pixels, (base.width ?? 1000) * (base.height ?? 1000));
    assert.ok(a.equal_pixels / a.total_pixels >= 0.999, `${JSON.stringify(base)}: ${JSON.stringify(a)}`);
    const server = await run(page, { side: 'server', workload: 'julia', params });
    const wasm = await run(page, { side: 'browser', workload: 'julia', params, variant: 'reference', threads: 1 });
    assert.equal(wasm.checksum, server.checksum, 'f32: wasm reference = native simd');
    assert.equal(a.kernels_checksum, server.checksum);
  }
  const book = await run(page, { side: 'server', workload: 'julia', params: { precision: 'f32' } });
  assert.equal(book.checksum, '33222988', 'the book\'s case in f32, as numpy\'s float32 computes it');
  const f64 = await run(page, { side: 'server', workload: 'julia', params: {} });
  assert.equal(f64.checksum, '33219980', 'f32 is its own computation: the f64 book case differs');
});

test('the GPU refuses in words what it cannot compute, and the Python side refuses f32', async () => {
  const f64 = await run(page, { side: 'gpu', workload: 'julia', params: {} });
  assert.equal(f64.rejected.field, 'precision');
  assert.match(f64.rejected.message, /the GPU computes in f32: choose precision f32/);
  const diffusion = await run(page, { side: 'gpu', workload: 'diffusion', params: {} });
  assert.equal(diffusion.rejected.field, 'workload');
  assert.match(diffusion.rejected.message, /no GPU shader/);
  const range = await run(page, { side: 'gpu', workload: 'pi', params: { samples: 0 } });
  assert.equal(range.rejected.field, 'samples');
  const python = await run(page, { side: 'python', workload: 'julia', params: { precision: 'f32', width: 10, height: 10 } });
  assert.equal(python.rejected.field, 'precision');
  assert.match(python.rejected.message, /Python/);
});

test('compare({ against: "gpu" }) measures the GPU against the server with the same statistics', async () => {
  const row = await page.evaluate(() => window.parallax.compare(
    { workload: 'pi', params: { samples: '1000000' }, repeat: 1, against: 'gpu' }, { quick: true }));
  assert.deepEqual(row.sides, ['gpu', 'server']);
  assert.equal(row.same_checksum, true);
  assert.equal(row.browser.checksum, '785712');
  assert.ok(row.ratio.low <= row.ratio.estimate && row.ratio.estimate <= row.ratio.high, JSON.stringify(row.ratio));
  assert.match(row.browser.adapter.architecture, /swiftshader/i);
  const julia = await page.evaluate(() => window.parallax.compare(
    { workload: 'julia', params: { width: 200, height: 200, precision: 'f32' }, repeat: 1, against: 'gpu' }, { quick: true }));
  assert.deepEqual(julia.sides, ['gpu', 'server']);
  assert.ok(julia.browser.agreement.equal_pixels / julia.browser.agreement.total_pixels >= 0.999);
  const exported = await page.evaluate(() => window.parallax.exportResults().rows.filter((r) => r.kind === 'compare').map((r) => r.sides));
  assert.deepEqual(exported.slice(-2), [['gpu', 'server'], ['gpu', 'server']]);
});

test('a long GPU run reports progress and stops on cancel; the next run works', async () => {
  const outcome = await page.evaluate(async () => {
    const p = window.parallax.run({ side: 'gpu', workload: 'pi', params: { samples: '10000000000' } }).then(() => 'finished', (e) => e);
    const t0 = performance.now();
    while (window.parallax.gpu.progress().done === 0 && performance.now() - t0 < 30000) await new Promise((r) => setTimeout(r, 20));
    const progress = window.parallax.gpu.progress();
    window.parallax.cancel();
    return { progress, result: await p };
  });
  assert.ok(outcome.progress.done > 0 && outcome.progress.total === 1e10, JSON.stringify(outcome.progress));
  assert.equal(outcome.result.kind, 'cancelled', JSON.stringify(outcome.result));
  assert.equal((await run(page, { side: 'gpu', workload: 'pi', params: { samples: 1000 } })).checksum, '779');
});

test('the Julia panel runs its case on the GPU and draws the picture from the GPU\'s counts', async () => {
  const part = page.getByTestId('gpu-julia');
  await part.locator('summary').click();
  await page.getByTestId('field-julia-width').fill('300');
  await page.getByTestId('field-julia-height').fill('200');
  await page.getByTestId('gpu-run-julia').click();
  await page.waitForFunction(() => /Done|Failed/.test(document.querySelector('[data-testid="gpu-status-julia"]').textContent), null, { timeout: 60000 });
  assert.equal(await page.getByTestId('gpu-status-julia').textContent(), 'Done.');
  assert.match(await page.getByTestId('gpu-result-julia').textContent(), /% of pixels equal/);
  const lit = await page.evaluate(() => {
    const c = document.querySelector('[data-testid="gpu-picture-julia"]');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] || d[i + 1] || d[i + 2]) n++;
    return { n, w: c.width, h: c.height };
  });
  assert.deepEqual([lit.w, lit.h], [300, 200]);
  assert.ok(lit.n > 1000, `non-black pixels: ${lit.n}`);
  await part.screenshot({ path: screenshotPath('gpu-julia.png') });
  // π has a GPU part too; diffusion and primes have none.
  assert.equal(await page.getByTestId('gpu-pi').count(), 1);
  assert.equal(await page.getByTestId('gpu-diffusion').count(), 0);
  assert.deepEqual(errors, []);
});

test('without WebGPU (no flag) the page says why and every other side works', async () => {
  const plain = await launchBrowser();
  try {
    const { page: p, errors: errs } = await openPage(plain.context, server.url);
    await p.waitForFunction(() => window.parallax.env().gpu !== null);
    const status = await p.evaluate(() => window.parallax.gpu.status());
    assert.equal(status.available, false);
    assert.match(status.why, /Chromium \d+ .*flag/);
    assert.match(await p.getByTestId('env-gpu').textContent(), /not available: .*every other side works/);
    assert.match(await p.getByTestId('gpu-why-pi').textContent(), /No GPU side here/);
    const gpu = await run(p, { side: 'gpu', workload: 'pi', params: { samples: 1000 } });
    assert.equal(gpu.rejected.field, 'side');
    assert.match(gpu.rejected.message, /no GPU side here: .*flag/);
    for (const side of ['browser', 'server']) assert.equal((await run(p, { side, workload: 'pi', params: { samples: 1000 } })).checksum, '779');
    assert.deepEqual(errs, []);
  } finally {
    await plain.close();
  }
});

test('a quick race with gpu: true adds the GPU leg for π and Julia (f32), with its own line', async () => {
  const v = await page.evaluate(() => window.parallax.race({ quick: true, gpu: true }));
  const byName = Object.fromEntries(v.rows.map((r) => [r.workload, r]));
  for (const w of ['pi', 'julia']) {
    const g = byName[w].gpu;
    assert.ok(g, `${w}: no GPU leg`);
    assert.ok(g.ratio.low <= g.ratio.estimate && g.ratio.estimate <= g.ratio.high, JSON.stringify(g.ratio));
    assert.match(g.text, /^This browser's GPU \(google swiftshader, a software adapter\) computed /);
  }
  assert.equal(byName.pi.gpu.same_checksum, true);
  assert.match(byName.pi.gpu.text, /the same result as the server/);
  assert.equal(byName.julia.gpu.precision, 'f32');
  assert.match(byName.julia.gpu.text, / in f32 .*% of its pixels the same as the f32 kernels'/);
  for (const w of ['diffusion', 'primes']) assert.equal(byName[w].gpu, null);
  // The CPU verdict is untouched: its split still multiplies out.
  for (const r of v.rows) {
    const product = r.split.wasm.estimate * r.split.width.estimate * r.split.rest.estimate;
    assert.ok(Math.abs(product / r.ratio.estimate - 1) < 0.01, `${r.workload}: ${product} vs ${r.ratio.estimate}`);
  }
  await page.getByTestId('verdict-gpu-pi').waitFor();
  const legs = await page.evaluate(() => window.parallax.exportResults().rows.filter((r) => r.race_leg === 'G').map((r) => [r.workload, r.sides]));
  assert.deepEqual(legs.sort(), [['julia', ['gpu', 'server']], ['pi', ['gpu', 'server']]]);
  // By default ('auto') a software adapter does not race: its times are a CPU's.
  const auto = await page.evaluate(() => window.parallax.race({ quick: true }).then((x) => x.rows.map((r) => r.gpu)));
  assert.deepEqual(auto, [null, null, null, null]);
  const refused = await page.evaluate(() => window.parallax.race({ gpu: 'yes' }).catch((e) => e));
  assert.equal(refused.field, 'gpu');
});
