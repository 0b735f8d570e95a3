// The first screen in headless Chromium on the real server: the four pictures and the race in
// the first viewport (desktop and phone), "Where it runs" one line until opened, the race's
// verdict through the API and the page, Cancel, the shared link and the PNG, axe-core at load
// and after a race, a keyboard-only race, and prefers-reduced-motion.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startServer, launchBrowser, openPage, screenshotPath } from './harness.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
let server, browser;

before(async () => {
  server = await startServer();
  // The page's CSP allows no inline script: axe is injected with the CSP bypassed.
  browser = await launchBrowser({ bypassCSP: true, acceptDownloads: true });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The page at `viewport`, its first pictures drawn. */
async function open(viewport, hash = '') {
  const opened = await openPage(browser.context, `${server.url}/${hash}`);
  await opened.page.setViewportSize(viewport);
  await opened.page.waitForFunction(() => document.body.dataset.firstPictures === 'true', null, { timeout: 60_000 });
  return opened;
}

/** axe-core's serious and critical violations on the page as it is. */
async function axeViolations(page) {
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`));
  return found;
}

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  test(`${name}: the first viewport holds the four pictures and the race; "Where it runs" is one line`, async () => {
    const { page, errors } = await open(viewport);
    const seen = await page.evaluate(() => {
      const inView = (node) => {
        const r = node.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth;
      };
      const thumbs = [...document.querySelectorAll('[data-testid^="thumb-"]')].map((c) => {
        const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const colours = new Set();
        for (let i = 0; i < px.length && colours.size < 3; i += 4 * 7) colours.add(`${px[i]},${px[i + 1]},${px[i + 2]},${px[i + 3]}`);
        return { id: c.dataset.testid, inView: inView(c), colours: colours.size };
      });
      const summary = document.querySelector('.env > summary');
      const line = parseFloat(getComputedStyle(summary).lineHeight);
      return {
        thumbs, race: inView(document.querySelector('[data-testid="race"]')),
        summaryHeight: summary.getBoundingClientRect().height, line, open: document.querySelector('.env').open,
        factsShown: document.querySelector('[data-testid="env"]').checkVisibility(),
        summary: document.querySelector('[data-testid="env-summary"]').textContent,
        workloads: window.parallax.describe().map((d) => d.name),
      };
    });
    assert.deepEqual(seen.thumbs.map((t) => t.id).sort(), seen.workloads.map((w) => `thumb-${w}`).sort());
    for (const t of seen.thumbs) {
      assert.ok(t.inView, `${t.id} is in the first viewport`);
      assert.ok(t.colours > 1, `${t.id} has a picture (more than one colour)`);
    }
    assert.ok(seen.race, 'the race button is in the first viewport');
    assert.equal(seen.open, false);
    assert.equal(seen.factsShown, false);
    assert.ok(seen.summaryHeight < 1.8 * seen.line, `one line: ${seen.summaryHeight} px for a line of ${seen.line}`);
    assert.match(seen.summary, /^Chromium \d+ · \d+ threads? · SIMD128 · isolated by headers · server: .+, (AVX-512|AVX2|SSE2|NEON|no SIMD), \d+ threads?$/);
    await page.screenshot({ path: screenshotPath(`first-screen-${name}.png`) });
    // Opened, the facts are there.
    await page.locator('.env > summary').click();
    assert.equal(await page.getByTestId('env-cores').isVisible(), true);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('parallax.race({ quick: true }): a verdict per workload, the split multiplying out, shared by link and PNG', async () => {
  const { page, errors } = await open(VIEWPORTS.desktop);
  assert.equal((await axeViolations(page)).join('\n'), '', 'axe at load');
  const { v, progress, exported } = await page.evaluate(async () => {
    const progress = [];
    const v = await window.parallax.race({ quick: true, onProgress: (p) => progress.push(p.leg) });
    return { v, progress, exported: window.parallax.exportResults() };
  });
  const workloads = await page.evaluate(() => window.parallax.describe().map((d) => d.name));
  assert.deepEqual(v.rows.map((r) => r.workload), workloads);
  const inside = (r, what) => assert.ok(r.low <= r.estimate && r.estimate <= r.high && r.low > 0, `${what}: ${JSON.stringify(r)}`);
  for (const r of v.rows) {
    inside(r.ratio, `${r.workload} ratio`);
    for (const k of ['wasm', 'width', 'rest']) inside(r.split[k], `${r.workload} ${k}`);
    const product = r.split.wasm.estimate * r.split.width.estimate * r.split.rest.estimate;
    assert.ok(Math.abs(product / r.ratio.estimate - 1) < 5e-3, `${r.workload}: ${product} vs ${r.ratio.estimate}`);
    assert.equal(r.same_checksum, true, r.text);
    assert.equal(typeof r.resolved, 'boolean');
    assert.ok(r.text.length > 40 && r.text.includes(`checksum ${r.checksum}`), r.text);
  }
  assert.match(v.overall.text, /^Overall, /);
  assert.equal(v.conditions.engine, 'chromium');
  // Progress named every leg; the legs' rows and the verdict are in the export.
  const legs = exported.rows.filter((r) => r.race_leg).length;
  assert.equal(progress.filter(Boolean).length, legs);
  assert.ok(legs >= 2 * workloads.length, `${legs} legs`);
  assert.equal(exported.verdicts.length, 1);
  assert.equal(exported.verdicts[0].overall.text, v.overall.text);
  // And in the CSV download: one "verdict" line per workload and one overall.
  const [csvFile] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
  const verdictLines = readFileSync(await csvFile.path(), 'utf8').split('\r\n').filter((l) => l.startsWith('verdict,'));
  assert.equal(verdictLines.length, workloads.length + 1);
  assert.ok(verdictLines.some((l) => l.includes(',overall,')));
  // The page shows the same words.
  assert.equal(await page.getByTestId('verdict-overall').textContent(), v.overall.text);
  for (const r of v.rows) assert.equal(await page.getByTestId(`verdict-${r.workload}`).textContent(), r.text);
  assert.equal((await axeViolations(page)).join('\n'), '', 'axe after a race');
  await page.getByTestId('verdict').screenshot({ path: screenshotPath('verdict-desktop.png') });

  // The PNG: a 1200 × 630 image of the card, not one colour.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('verdict-png').click()]);
  await download.saveAs(screenshotPath('verdict-card.png'));
  const png = readFileSync(screenshotPath('verdict-card.png'));
  assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'a PNG signature');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [1200, 630]);
  const colours = await page.evaluate(async (b64) => {
    const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
    const c = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
    c.drawImage(bitmap, 0, 0);
    const px = c.getImageData(0, 0, bitmap.width, bitmap.height).data, seen = new Set();
    for (let i = 0; i < px.length; i += 4 * 101) seen.add(`${px[i]},${px[i + 1]},${px[i + 2]}`);
    return seen.size;
  }, png.toString('base64'));
  assert.ok(colours > 5, `the card has text and bars: ${colours} colours`);

  // The link reopens the same verdict in a fresh page, labelled with where it was measured.
  const href = await page.getByTestId('verdict-href').getAttribute('href');
  const fresh = await open(VIEWPORTS.phone, href.slice(href.indexOf('#')));
  assert.equal(await fresh.page.getByTestId('verdict-overall').textContent(), v.overall.text);
  for (const r of v.rows) assert.equal(await fresh.page.getByTestId(`verdict-${r.workload}`).textContent(), r.text);
  assert.match(await fresh.page.getByTestId('verdict-source').textContent(), /^A verdict shared with you, measured on Chromium \d+, .+, \d{4}-\d\d-\d\d \(quick race/);
  assert.match(await fresh.page.getByTestId('race').textContent(), /Race here/);
  assert.match(fresh.page.url(), /#verdict=/, 'the address keeps the shared verdict');
  await fresh.page.getByTestId('verdict').screenshot({ path: screenshotPath('verdict-phone.png') });
  // A broken link is refused in words, and the page still races.
  const broken = await open(VIEWPORTS.desktop, '#verdict=eyJ2ZXJzaW9uIjoyfQ');
  assert.match(await broken.page.getByTestId('race-error').textContent(), /this link's verdict cannot be read: its version is 2/);
  assert.deepEqual([...errors, ...fresh.errors, ...broken.errors], []);
  await Promise.all([page.close(), fresh.page.close(), broken.page.close()]);
});

test('Cancel midway leaves the page usable; bad options are refused by name', async () => {
  const { page, errors } = await open(VIEWPORTS.desktop);
  const refused = await page.evaluate(() => window.parallax.race({ quick: 'yes' }).then(() => null, (e) => e));
  assert.equal(refused.field, 'quick');
  await page.getByTestId('race').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="race-status"]').textContent.startsWith('Racing 2 of'), null, { timeout: 60_000 });
  await page.getByTestId('race-cancel').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="race-status"]').textContent.startsWith('Cancelled'), null, { timeout: 20_000 });
  assert.equal(await page.getByTestId('verdict').isVisible(), false);
  assert.equal(await page.getByTestId('race').isEnabled(), true);
  // Usable: a panel run and a quick race both work.
  const run = await page.evaluate(() => window.parallax.run({ workload: 'julia', params: { width: 64, height: 64 } }));
  assert.ok(run.checksum);
  const v = await page.evaluate(() => window.parallax.race({ quick: true }));
  assert.ok(v.rows.length >= 4);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a keyboard-only race, and less motion when asked for', async () => {
  const page = await browser.context.newPage();
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.setViewportSize(VIEWPORTS.desktop);
  await page.goto(`${server.url}/`);
  await page.waitForFunction(() => document.body.dataset.firstPictures === 'true', null, { timeout: 60_000 });
  // Reduced motion: the diffusion does not draw itself step by step unless asked.
  assert.equal(await page.getByTestId('animate-diffusion').isChecked(), false);
  const focused = () => page.evaluate(() => document.activeElement?.dataset.testid ?? document.activeElement?.tagName);
  for (let i = 0; i < 20 && await focused() !== 'race-quick'; i++) await page.keyboard.press('Tab');
  assert.equal(await focused(), 'race-quick', 'Tab reaches the race\'s Quick box');
  await page.keyboard.press('Space');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await focused(), 'race');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => !document.querySelector('[data-testid="verdict"]').hidden, null, { timeout: 60_000 });
  assert.match(await page.getByTestId('verdict-source').textContent(), /^Your race, .*quick race/);
  assert.equal(await page.evaluate(() => document.getAnimations().length), 0, 'no animation runs');
  await page.close();
  const normal = await browser.context.newPage();
  await normal.emulateMedia({ reducedMotion: 'no-preference' });
  await normal.goto(`${server.url}/`);
  await normal.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 60_000 });
  assert.equal(await normal.getByTestId('animate-diffusion').isChecked(), true);
  await normal.close();
});
