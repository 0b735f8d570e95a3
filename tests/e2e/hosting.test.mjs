// Hosting the page anywhere: dist/ as built, on a static host that sends no headers (Python's
// http.server), isolated after one reload by the coi-serviceworker-based service worker, at /
// and under a sub-path; the single-threaded SIMD build where service workers are blocked; the
// API on another origin (CORS from --allow-origin, the page's CSP from --connect-src), and a
// refused origin or a CSP block said in words; parallax-server's own headers with no service
// worker at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, startStaticServer, launchBrowser, openPage, freePort, waitReady, ROOT, screenshotPath } from './harness.mjs';
import { preset, runAndRead, assertBothRow } from './ui.mjs';

const bookJulia = (page) => page.evaluate(() => window.parallax.run({ side: 'browser', workload: 'julia' }).then((r) => r.checksum));

async function onStaticHost(path, check, contextOptions = {}) {
  // dist/ itself at /, or linked under a sub-path of an empty site.
  const root = mkdtempSync(join(tmpdir(), 'parallax-static-'));
  const parts = path.split('/').filter(Boolean);
  if (parts.length) {
    mkdirSync(join(root, ...parts.slice(0, -1)), { recursive: true });
    symlinkSync(join(ROOT, 'dist'), join(root, ...parts));
  }
  const host = await startStaticServer(parts.length ? root : join(ROOT, 'dist'));
  const browser = await launchBrowser(contextOptions);
  try {
    const page = await browser.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const started = Date.now();
    await page.goto(`${host.url}${path}`);
    await check(page, started);
    assert.deepEqual(errors, [], errors.join('\n'));
  } finally {
    await browser.close();
    await host.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

for (const path of ['/', '/sub/path/parallax/']) {
  test(`on a static host at ${path}: isolated by the service worker after one reload, a full pool, the book's checksum`, async () => {
    await onStaticHost(path, async (page, started) => {
      const ms = await waitReady(page, started);
      console.log(`# ${path}: load → ready with the service worker's reload: ${ms} ms`);
      const env = await page.evaluate(() => window.parallax.env());
      assert.equal(env.isolated, true);
      assert.equal(env.isolation.source, 'service worker');
      assert.equal(env.build, 'threads+simd');
      assert.equal(env.threads, await page.evaluate(() => navigator.hardwareConcurrency));
      assert.equal(await bookJulia(page), '33219980');
      assert.match(await page.getByTestId('env-isolated').textContent(), /isolation service worker/);
      // It reloaded once, not in a loop: still the same document a second later.
      const marker = await page.evaluate(() => (window.__marker = Math.random()));
      await page.waitForTimeout(1000);
      assert.equal(await page.evaluate(() => window.__marker), marker);
    });
  });
}

test('with service workers blocked the single-threaded SIMD build runs, and the page says why', async () => {
  await onStaticHost('/', async (page, started) => {
    await waitReady(page, started, { isolated: false });
    const env = await page.evaluate(() => window.parallax.env());
    assert.equal(env.isolated, false);
    assert.equal(env.isolation.source, 'none');
    assert.equal(env.build, 'simd');
    assert.equal(env.simd, true);
    assert.equal(env.threads, 1);
    assert.equal(await bookJulia(page), '33219980');
    const shown = await page.getByTestId('env-build').textContent();
    assert.match(shown, /SIMD128 on one thread — the single-threaded SIMD build runs because the page is not cross-origin isolated/);
    assert.match(await page.getByTestId('env-isolated').textContent(), /service worker/);
  }, { serviceWorkers: 'block' });
});

test('served by parallax-server the headers isolate the page: no service worker is registered', async () => {
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const { page } = await openPage(browser.context, server.url);
    const env = await page.evaluate(() => window.parallax.env());
    assert.equal(env.isolation.source, 'headers');
    assert.equal(await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length)), 0);
  } finally {
    await browser.close();
    await server.stop();
  }
});

/** A page server on a port chosen first and an API server: the page at `?api=` the API. */
async function pageAndApi({ allow, connect }) {
  const pagePort = await freePort();
  const pageOrigin = `http://127.0.0.1:${pagePort}`;
  const api = await startServer(allow ? ['--allow-origin', pageOrigin] : []);
  const site = await startServer(connect ? ['--connect-src', api.url] : [], { addr: `127.0.0.1:${pagePort}` });
  const browser = await launchBrowser();
  const { page, errors } = await openPage(browser.context, `${site.url}/?api=${encodeURIComponent(api.url)}`);
  const close = async () => { await browser.close(); await site.stop(); await api.stop(); };
  return { page, errors, api, close };
}

test('the API on another origin: CORS and the CSP allow it, server runs and "both" work', async () => {
  const { page, api, close } = await pageAndApi({ allow: true, connect: true });
  try {
    const env = await page.evaluate(() => window.parallax.env());
    assert.equal(env.api, api.url);
    assert.ok(env.server?.version, 'the API\'s facts are read across origins');
    const r = await page.evaluate(() => window.parallax.run({ side: 'server', workload: 'pi', params: { samples: 1000 } }));
    assert.equal(r.checksum, '779');
    // The PNG answer's X-Checksum and Server-Timing are exposed to the page.
    await preset(page, 'pi', '10⁴ darts (the book\'s figure 9-1)');
    assertBothRow(await runAndRead(page, 'pi', 'both'), 'pi across origins');
    // The row records the build and the isolation source the browser's time was taken under.
    const title = await page.locator('[data-testid="results-pi-rows"] tr').first().getByTestId('browser-ms').getAttribute('title');
    assert.match(title, /threads\+simd build; cross-origin isolation: headers/);
    await page.getByTestId('panel-pi').screenshot({ path: screenshotPath('hosting-api-other-origin.png') });
  } finally {
    await close();
  }
});

test('an API that refuses the page\'s origin, and a CSP that does not list it, are told apart in words', async () => {
  const refused = await pageAndApi({ allow: false, connect: true });
  try {
    const r = await refused.page.evaluate(() => window.parallax.run({ side: 'server', workload: 'pi' }).catch((e) => e));
    assert.match(r.message, /refused this page's origin .*--allow-origin/);
    assert.match(await refused.page.getByTestId('env-server').textContent(), /refused this page's origin/);
    const b = await refused.page.evaluate(() => window.parallax.run({ side: 'browser', workload: 'pi', params: { samples: 1000 } }));
    assert.equal(b.checksum, '779', 'browser runs go on');
  } finally {
    await refused.close();
  }
  const blocked = await pageAndApi({ allow: true, connect: false });
  try {
    const r = await blocked.page.evaluate(() => window.parallax.run({ side: 'server', workload: 'pi' }).catch((e) => e));
    assert.match(r.message, /Content-Security-Policy does not allow connecting to/);
  } finally {
    await blocked.close();
  }
});
