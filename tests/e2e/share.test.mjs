// Results that leave the page and come back: the JSON export re-imports into a fresh page whose
// charts then show the imported rows; the CSV has a header and a line per side of each row; a
// malformed or foreign import changes nothing and says why; the URL fragment follows the fields
// and a new page at that URL shows the same values; a link with an out-of-range value shows the
// field's message and runs nothing; the book's ladder renders for every workload, the book's
// figures and ours.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage, screenshotPath } from './harness.mjs';
import { VIEWPORTS } from './ui.mjs';

let server, browser, page, errors, exported;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  ({ page, errors } = await openPage(browser.context, server.url));
  await page.setViewportSize(VIEWPORTS.desktop);
  await page.evaluate(() => window.parallax.compare({ workload: 'pi', params: { samples: '100000' }, variant: 'simd', threads: 1 }, { quick: true }));
  await page.evaluate(() => window.parallax.compare({ workload: 'julia', params: { width: 200, height: 200 }, variant: 'reference', threads: 1 }, { quick: true }));
  exported = await page.evaluate(() => window.parallax.exportResults());
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const file = (name, text) => ({ name, mimeType: 'application/json', buffer: Buffer.from(text) });

test('the CSV has a header and one line per side of each row', async () => {
  const csv = await page.evaluate(async () => (await import('./compare/export.js')).toCsv(window.parallax.exportResults()));
  const lines = csv.trimEnd().split('\r\n');
  const header = lines[0].split(',');
  for (const col of ['workload', 'params', 'variant', 'lanes', 'threads', 'repeat', 'side', 'n', 'median_ms', 'low_ms', 'high_ms', 'ratio', 'ratio_low', 'ratio_high', 'checksum', 'same_checksum', 'isolation', 'timer_resolution_ms']) {
    assert.ok(header.includes(col), `column ${col}`);
  }
  const sides = exported.rows.reduce((n, r) => n + (r.browser ? 1 : 0) + (r.server ? 1 : 0), 0);
  assert.equal(lines.length, 1 + sides);
  const pi = lines.find((l) => l.startsWith('compare,') && l.includes(',pi,'));
  assert.ok(pi, 'a pi line');
  assert.match(pi, /,"{""samples"":""100000""}",/);
});

test('the JSON export re-imports into a fresh page, whose charts show the imported rows', async () => {
  const { page: fresh, errors: freshErrors } = await openPage(browser.context, server.url);
  await fresh.setViewportSize(VIEWPORTS.desktop);
  assert.equal(await fresh.locator('[data-testid="chart-ratio"]').count(), 0);
  await fresh.setInputFiles('[data-testid="import-file"]', file('mine.json', JSON.stringify(exported)));
  await fresh.waitForSelector('[data-testid="chart-ratio"]');
  const labels = await fresh.$$eval('[data-testid="chart-ratio"] .chart-row:not(.axis) .chart-label', (ls) => ls.map((l) => l.textContent));
  assert.equal(labels.length, exported.rows.filter((r) => r.kind === 'compare').length);
  // Labelled by the engine and its version (www/kernels/features.js's engineOf), not the browser's brand.
  assert.ok(labels.every((l) => /^Imported Chromium \d+ · /.test(l)), labels.join('\n'));
  assert.match(await fresh.textContent('[data-testid="share-status"]'), /Imported 1 file/);
  // Beside live results: a comparison made on the fresh page joins the imported ones.
  await fresh.evaluate(() => window.parallax.compare({ workload: 'pi', params: { samples: '100000' }, variant: 'simd', threads: 1 }, { quick: true }));
  const after = await fresh.$$eval('[data-testid="chart-ratio"] .chart-row:not(.axis) .chart-label', (ls) => ls.map((l) => l.textContent));
  assert.equal(after.length, labels.length + 1);
  assert.equal(after.filter((l) => !l.startsWith('Imported')).length, 1);
  await fresh.locator('[data-testid="compare"]').screenshot({ path: screenshotPath('share-import-beside-live.png') });
  assert.deepEqual(freshErrors, []);
  await fresh.close();
});

test('a malformed or foreign import leaves the page as it was and says why', async () => {
  const { page: fresh } = await openPage(browser.context, server.url);
  const cases = [
    ['broken.json', '{"version": 1, "rows": [', /not JSON/],
    ['other.json', '{"name": "something else"}', /not a Parallax export: its version/],
    ['empty.json', JSON.stringify({ ...exported, rows: [] }), /no comparison rows/],
    ['bad-row.json', JSON.stringify({ ...exported, rows: [{ ...exported.rows[0], browser: { runs: [1] } }] }), /comparison row 1 has no browser runs/],
  ];
  for (const [name, text, why] of cases) {
    await fresh.setInputFiles('[data-testid="import-file"]', file(name, text));
    await fresh.waitForFunction((n) => document.querySelector('[data-testid="share-status"]').textContent.includes(n), name);
    const said = await fresh.textContent('[data-testid="share-status"]');
    assert.match(said, why, said);
    assert.match(said, /Nothing was imported/);
    assert.equal(await fresh.getAttribute('[data-testid="share-status"]', 'role'), 'alert');
    assert.equal(await fresh.locator('[data-testid="chart-ratio"]').count(), 0, `${name}: the page is as it was`);
    assert.equal(await fresh.evaluate(() => window.parallax.exportResults().rows.length), 0);
  }
  await fresh.close();
});

test('the fragment follows the fields, and a new page at that URL shows the same values', async () => {
  const { page: p } = await openPage(browser.context, server.url);
  await p.fill('#julia-width', '640');
  await p.fill('#julia-max_iter', '500');
  await p.selectOption('[data-testid="variant-julia"]', 'reference');
  await p.fill('#pi-samples', '12345');
  await p.waitForFunction(() => location.hash.includes('pi.samples=12345'));
  const url = p.url();
  assert.match(url, /julia\.width=640/);
  assert.match(url, /julia\.variant=reference/);
  assert.match(url, /open=pi/);
  const { page: again } = await openPage(browser.context, url);
  assert.equal(await again.inputValue('#julia-width'), '640');
  assert.equal(await again.inputValue('#julia-max_iter'), '500');
  assert.equal(await again.inputValue('#julia-height'), '1000');
  assert.equal(await again.inputValue('[data-testid="variant-julia"]'), 'reference');
  assert.equal(await again.inputValue('#pi-samples'), '12345');
  // Copy link gives the same URL (or, without a clipboard, shows it to copy).
  await again.click('[data-testid="copy-link"]');
  await again.waitForFunction(() => document.querySelector('[data-testid="share-status"]').textContent.length > 0);
  assert.equal(again.url(), url);
  await p.close();
  await again.close();
});

test('a link with an out-of-range value shows the field\'s message and runs nothing', async () => {
  const { page: p } = await openPage(browser.context, `${server.url}/#open=julia&julia.width=99999`);
  await p.waitForFunction(() => document.querySelector('#julia-width').getAttribute('aria-invalid') === 'true', null, { timeout: 10_000 });
  const message = await p.textContent('[data-testid="message-julia-width"]');
  assert.match(message, /width = 99999 is out of range/);
  assert.equal(await p.isDisabled('[data-testid="run-browser-julia"]'), true);
  // Nothing ran for it: no first picture, no row, the placeholder still there.
  await p.waitForFunction(() => document.body.dataset.firstPictures === 'true');
  assert.equal(await p.getAttribute('[data-testid="panel-julia"]', 'data-first-picture'), null);
  assert.equal(await p.evaluate(() => window.parallax.exportResults().rows.length), 0);
  assert.equal(await p.getAttribute('[data-testid="panel-pi"]', 'data-first-picture'), 'true');
  await p.close();
  // A choice the page does not offer is kept as the link gave it, and refused in the kernels' words.
  const { page: q } = await openPage(browser.context, `${server.url}/#julia.threads=64`);
  await q.waitForFunction(() => document.querySelector('#julia-threads').getAttribute('aria-invalid') === 'true', null, { timeout: 10_000 });
  assert.match(await q.textContent('[data-testid="message-julia-threads"]'), /threads = 64 is out of range/);
  assert.match(await q.textContent('#julia-threads option:checked'), /64 \(from the link\)/);
  await q.close();
});

test('the book\'s ladder renders for every workload, with the book\'s figures and ours', async () => {
  const names = await page.evaluate(() => window.parallax.describe().map((d) => d.name));
  for (const name of names) {
    const fig = `[data-testid="chart-ladder-${name}"]`;
    const before = await page.locator(`${fig} .mark`).count();
    assert.ok(before >= 3, `${name}: the book's rungs`);
    await page.click(`[data-testid="measure-ladder-${name}"]`);
    await page.waitForFunction((n) => /Measured now|Failed/.test(document.querySelector(`[data-testid="ladder-status-${n}"]`).textContent), name, { timeout: 120_000 });
    assert.match(await page.textContent(`[data-testid="ladder-status-${name}"]`), /Measured now/);
    assert.equal(await page.locator(`${fig} .mark`).count(), before + 4, `${name}: our four rungs`);
    const table = await page.$$eval(`[data-testid="table-ladder-${name}"] tbody tr`, (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.ok(table.some((r) => /the book/.test(r[1])) && table.some((r) => /measured now/.test(r[1])));
    assert.ok(table.every((r) => /×$/.test(r[3])));
  }
  assert.deepEqual(errors, []);
});
