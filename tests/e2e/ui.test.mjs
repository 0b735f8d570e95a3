// The page as a person uses it: typing into the panels' fields and pressing their buttons (by
// data-testid), against the real server and the threaded wasm build in headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage, screenshotPath } from './harness.mjs';
import { VIEWPORTS, fill, preset, rowCount, runAndRead, assertBothRow } from './ui.mjs';

let server, browser, page, errors;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  ({ page, errors } = await openPage(browser.context, server.url));
  await page.setViewportSize(VIEWPORTS.desktop);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const BOOK = {
  julia: '33219980',
  diffusion: '16944010265892990318',
  primes: '1',
};

test('each panel\'s book case run "both" matches, with a number in every timing column; the first run is cold', async () => {
  for (const [workload, checksum] of Object.entries(BOOK)) {
    const row = await runAndRead(page, workload, 'both');
    assertBothRow(row, workload);
    assert.equal(row['browser-checksum'], checksum, workload);
    assert.ok(row.cold, `${workload}: the first run is marked cold`);
    assert.match(row['browser-ms'], /\(cold\b/);
    const again = await runAndRead(page, workload, 'both');
    assertBothRow(again, `${workload} again`);
    assert.ok(!again.cold, `${workload}: the second run is not cold`);
    assert.equal(await page.getByTestId(`error-${workload}`).isHidden(), true);
  }
  // The server's picture is shown beside the browser's.
  for (const workload of ['julia', 'diffusion']) {
    const img = page.getByTestId(`server-image-${workload}`);
    assert.ok(await img.evaluate((i) => i.complete && i.naturalWidth > 0), `${workload}: server PNG shown`);
  }
  assert.match(await page.getByTestId('caption-browser-primes').textContent(), /prime/);
  for (const w of ['julia', 'diffusion', 'primes']) {
    const lit = await page.getByTestId(`canvas-${w}`).evaluate((c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] > 60) n++;
      return n;
    });
    assert.ok(lit > 100, `${w}: the browser's canvas is (nearly) empty`);
  }
  assert.deepEqual(errors, [], errors.join('\n'));
});

test('changed parameters change both sides\' checksums identically', async () => {
  for (const [field, value] of [['width', 640], ['height', 480], ['max_iter', 500]]) await fill(page, 'julia', field, value);
  const julia = await runAndRead(page, 'julia', 'both');
  assertBothRow(julia, 'julia 640×480/500');
  assert.equal(julia['browser-checksum'], '16353586');

  await preset(page, 'diffusion', '300 × 200, 100 steps');
  const diffusion = await runAndRead(page, 'diffusion', 'both');
  assertBothRow(diffusion, 'diffusion 300×200/100');
  assert.equal(diffusion['browser-checksum'], '14917310898543537669');

  await page.getByTestId('field-primes-task').selectOption('range');
  await fill(page, 'primes', 'start', '100000000');
  await fill(page, 'primes', 'end', '100100000');
  const range = await runAndRead(page, 'primes', 'both');
  assertBothRow(range, 'primes range of 100,000');
  const wider = await page.evaluate(() => window.parallax.run({ workload: 'primes', params: { task: 'range', start: '100000000', end: '101000000' } }));
  assert.notEqual(range['browser-checksum'], wider.checksum, 'a different range, a different checksum');
  assert.match(await page.getByTestId('caption-server-primes').textContent(), /Ulam spiral of 100,000 numbers/);

  for (const w of ['julia', 'diffusion', 'primes']) {
    await page.getByTestId(`panel-${w}`).screenshot({ path: screenshotPath(`ui-desktop-${w}.png`) });
  }
});

test('bad input shows the server\'s own message next to the field and runs nothing', async () => {
  const cases = [
    ['julia', 'width', '0', { width: 0 }],
    ['julia', 'max_iter', '1e3', { max_iter: '1e3' }],
    ['diffusion', 'steps', 'abc', { steps: 'abc' }],
    ['diffusion', 'dt', '0.3', { dt: 0.3 }],
  ];
  for (const [workload, field, text, body] of cases) {
    const rows = await rowCount(page, workload);
    const original = await page.getByTestId(`field-${workload}-${field}`).inputValue();
    await fill(page, workload, field, text);
    const message = page.getByTestId(`message-${workload}-${field}`);
    await message.filter({ hasText: /\S/ }).waitFor({ timeout: 5_000 });
    const server = await page.evaluate(async ([w, b]) => {
      const raw = JSON.stringify(b).replace('"1e3"', '1e3');
      const r = await fetch(`/api/${w}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw });
      return { status: r.status, ...(await r.json()).error };
    }, [workload, body]);
    assert.ok(server.status >= 400 && server.status < 500, JSON.stringify(server));
    assert.equal(server.field, field);
    assert.equal(await message.textContent(), server.message, `${workload}.${field} = ${text}`);
    assert.equal(await page.getByTestId(`field-${workload}-${field}`).getAttribute('aria-invalid'), 'true');
    for (const side of ['browser', 'server', 'both']) {
      assert.ok(await page.getByTestId(`run-${side}-${workload}`).isDisabled(), `${side} disabled on bad input`);
    }
    assert.equal(await rowCount(page, workload), rows, 'nothing ran');
    assert.match(await page.getByTestId(`why-${workload}`).textContent(), /Correct the field marked in red/);
    await fill(page, workload, field, original);
    await page.waitForFunction((id) => document.querySelector(`[data-testid="${id}"]`).textContent === '', `message-${workload}-${field}`, { timeout: 5_000 });
    assert.ok(await page.getByTestId(`run-both-${workload}`).isEnabled());
  }
  // A range the other way round: the message sits under "end".
  await fill(page, 'primes', 'end', '99999999');
  await page.getByTestId('message-primes-end').filter({ hasText: /end = 99999999 is below start/ }).waitFor({ timeout: 5_000 });
  await fill(page, 'primes', 'end', '100100000');
});

test('a click zooms the Julia picture, a drag pans it, and each re-renders in the browser', async () => {
  const reset = await rowCount(page, 'julia');
  await page.getByTestId('julia-reset-view').click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="results-julia-rows"] tr').length > n
    && document.querySelector('[data-testid="cancel-julia"]').disabled, reset, { timeout: 30_000 });
  assert.equal(await page.getByTestId('field-julia-x_min').inputValue(), '-1.8');
  const canvas = page.getByTestId('canvas-julia');
  const pixels = () => canvas.evaluate((c) => Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.filter((_, i) => i % 997 === 0)).join());
  const value = (f) => page.getByTestId(`field-julia-${f}`).inputValue().then(Number);
  const before = await pixels();
  const rows = await rowCount(page, 'julia');
  const box = await canvas.boundingBox();
  await canvas.click({ position: { x: box.width * 0.75, y: box.height * 0.5 } });
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="results-julia-rows"] tr').length > n
    && document.querySelector('[data-testid="cancel-julia"]').disabled, rows, { timeout: 30_000 });
  const [xMin, xMax, yMin, yMax] = await Promise.all(['x_min', 'x_max', 'y_min', 'y_max'].map(value));
  assert.ok(Math.abs((xMax - xMin) - 1.8) < 1e-9, `zoomed ×2: width ${xMax - xMin}`);
  assert.ok(Math.abs((xMin + xMax) / 2 - 0.9) < 0.02, `centred on the click: ${(xMin + xMax) / 2}`);
  assert.ok(Math.abs((yMax - yMin) - 1.8) < 1e-9);
  assert.notEqual(await pixels(), before, 'the picture changed');
  assert.match(await page.getByTestId('caption-browser-julia').textContent(), /x ∈ \[-?0\.0000\d+, /);

  // Drag a quarter of the width to the right: the region moves left by a quarter of its width.
  const rows2 = await rowCount(page, 'julia');
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 4 });
  await page.mouse.move(box.x + box.width * 0.75, box.y + box.height * 0.5, { steps: 4 });
  await page.mouse.up();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="results-julia-rows"] tr').length > n
    && document.querySelector('[data-testid="cancel-julia"]').disabled, rows2, { timeout: 30_000 });
  const panned = await value('x_min');
  assert.ok(Math.abs(panned - (xMin - 0.45)) < 0.02, `panned: x_min ${xMin} → ${panned}`);

  // Keyboard: "-" zooms back out about the centre.
  const rows3 = await rowCount(page, 'julia');
  await canvas.focus();
  await page.keyboard.press('-');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="results-julia-rows"] tr').length > n, rows3, { timeout: 30_000 });
  assert.ok(Math.abs(((await value('x_max')) - (await value('x_min'))) - 3.6) < 1e-9);

  // Three quick presses of "+" during the re-renders add up (×8), and the picture that lands
  // is of the last region: the preview transform is gone once it is drawn.
  await page.waitForFunction(() => document.querySelector('[data-testid="cancel-julia"]').disabled);
  for (let i = 0; i < 3; i++) await page.keyboard.press('+');
  await page.waitForFunction(() => document.querySelector('[data-testid="cancel-julia"]').disabled
    && document.querySelector('[data-testid="canvas-julia"]').style.transform === '', null, { timeout: 30_000 });
  assert.ok(Math.abs(((await value('x_max')) - (await value('x_min'))) - 0.45) < 1e-9);
  assert.equal(await page.getByTestId('error-julia').isHidden(), true, 'a zoom during a run is not an error');
  // The buttons do the same for touch screens and screen readers.
  await page.getByTestId('julia-zoom-out').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="cancel-julia"]').disabled
    && document.querySelector('[data-testid="canvas-julia"]').style.transform === '', null, { timeout: 30_000 });
  assert.ok(Math.abs(((await value('x_max')) - (await value('x_min'))) - 0.9) < 1e-9);
  assert.match(await page.getByTestId('caption-browser-julia').textContent(), /x ∈ \[/);

  // A click while a zoom's preview stands lands where the preview shows it: from the home view,
  // "+" asks for x ∈ [-0.9, 0.9]; a click a quarter across it zooms about x = -0.45.
  const idle = () => page.waitForFunction(() => document.querySelector('[data-testid="cancel-julia"]').disabled
    && document.querySelector('[data-testid="canvas-julia"]').style.transform === '', null, { timeout: 30_000 });
  await page.getByTestId('julia-reset-view').click();
  await idle();
  await canvas.focus();
  await page.keyboard.press('+');
  const view = await canvas.evaluate((c) => c.parentElement.getBoundingClientRect().toJSON());
  await page.mouse.click(view.x + view.width * 0.25, view.y + view.height * 0.5);
  await idle();
  const [x0, x1] = await Promise.all(['x_min', 'x_max'].map(value));
  assert.ok(Math.abs((x0 + x1) / 2 + 0.45) < 1e-9 && Math.abs(x1 - x0 - 0.9) < 1e-9, `zoomed about -0.45: [${x0}, ${x1}]`);

  // Zooming out past the kernel's coordinate limit is refused in words, and the picture stays.
  for (let i = 0; i < 22; i++) await page.getByTestId('julia-zoom-out').click();
  await page.getByTestId('status-julia').filter({ hasText: /Not run: correct the field/ }).waitFor({ timeout: 10_000 });
  assert.equal(await canvas.evaluate((c) => c.style.transform), '');
  assert.match(await page.getByTestId('why-julia').textContent(), /Correct the field/);
  await page.getByTestId('julia-reset-view').click();
  await idle();
  assert.equal(await page.getByTestId('why-julia').textContent(), '');
});

test('the diffusion animation paints intermediate frames while it steps', async () => {
  await page.evaluate(() => {
    window.__steps = [];
    const canvas = document.querySelector('[data-testid="canvas-diffusion"]');
    new MutationObserver(() => window.__steps.push(Number(canvas.dataset.step))).observe(canvas, { attributeFilter: ['data-step'] });
  });
  await preset(page, 'diffusion', '512², 500 steps');
  const row = await runAndRead(page, 'diffusion', 'browser');
  assert.equal(row['browser-checksum'], '10563791678428181869');
  const steps = await page.evaluate(() => window.__steps);
  const frames = Number(await page.getByTestId('canvas-diffusion').getAttribute('data-frames'));
  assert.ok(frames >= 3, `frames painted: ${frames}`);
  assert.ok(steps.some((s) => s > 0 && s < 500), `an intermediate step was painted: ${steps}`);
  await page.waitForFunction(() => document.querySelector('[data-testid="canvas-diffusion"]').dataset.step === '500');
  assert.match(await page.getByTestId('caption-browser-diffusion').textContent(), /step 500 of 500/);
  // The server's picture is still of the earlier 300 × 200 run: it is marked so.
  assert.equal(await page.getByTestId('server-image-diffusion').evaluate((img) => img.closest('figure').dataset.stale), 'true');
});

test('cancel stops a long browser run and a long server run; the panel goes on', async () => {
  await fill(page, 'julia', 'width', 4096);
  await fill(page, 'julia', 'height', 4096);
  await fill(page, 'julia', 'max_iter', 1000);
  await page.getByTestId('variant-julia').selectOption('reference'); // seconds on either side
  for (const side of ['browser', 'server']) {
    await page.getByTestId(`run-${side}-julia`).click();
    await page.waitForTimeout(700);
    const at = Date.now();
    await page.getByTestId('cancel-julia').click();
    await page.getByTestId('error-julia').filter({ hasText: /cancelled/ }).waitFor({ timeout: 5_000 });
    await page.waitForFunction(() => !document.querySelector('[data-testid="run-both-julia"]').disabled, null, { timeout: 5_000 });
    assert.ok(Date.now() - at < 5_000, `${side} cancel took ${Date.now() - at} ms`);
  }
  // The aborted request stopped the server's kernel too: nothing is left running there.
  const deadline = Date.now() + 5_000;
  let queue;
  do {
    queue = (await (await fetch(`${server.url}/api/info`)).json()).queue;
    if (queue.running === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  } while (Date.now() < deadline);
  assert.equal(queue.running, 0, `the server still runs: ${JSON.stringify(queue)}`);
  await preset(page, 'julia', 'Book: 1000 × 1000, 300 iterations');
  await page.getByTestId('variant-julia').selectOption('simd');
  const row = await runAndRead(page, 'julia', 'both');
  assertBothRow(row, 'after cancels');
  assert.equal(row['browser-checksum'], BOOK.julia);
});

test('a server run waiting behind another says the server is busy, and can be cancelled', async () => {
  // A heavy run from outside the page holds the server's pool (2 threads: the panel asks for both).
  const outside = new AbortController();
  const heavy = fetch(`${server.url}/api/julia`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, signal: outside.signal,
    body: JSON.stringify({ width: 4096, height: 4096, max_iter: 1000, variant: 'reference' }),
  }).catch(() => null);
  try {
    await page.getByTestId('run-server-julia').click();
    await page.getByTestId('status-julia').filter({ hasText: /busy: 1 running, 1 waiting/ }).waitFor({ timeout: 10_000 });
    await page.getByTestId('cancel-julia').click();
    await page.getByTestId('error-julia').filter({ hasText: /cancelled/ }).waitFor({ timeout: 5_000 });
  } finally {
    outside.abort();
    await heavy;
  }
});

test('on a phone-sized screen every panel still fits its width; screenshots after a run', async () => {
  await page.setViewportSize(VIEWPORTS.phone);
  for (const w of ['julia', 'diffusion', 'primes']) {
    const panel = page.getByTestId(`panel-${w}`);
    const box = await panel.boundingBox();
    assert.ok(box.width <= VIEWPORTS.phone.width, `${w}: ${box.width}px wide`);
    // The buttons work at this width too, and the screenshot shows a fresh "both" run.
    assertBothRow(await runAndRead(page, w, 'both'), `${w} on a phone`);
    await panel.screenshot({ path: screenshotPath(`ui-phone-${w}.png`) });
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
  await page.setViewportSize(VIEWPORTS.desktop);
  assert.deepEqual(errors, [], errors.join('\n'));
});
