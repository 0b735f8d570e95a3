// The page's core, written once and run in each engine (`PARALLAX_ENGINE=chromium|firefox|webkit
// node --test engines/`; the test command runs it in all three): the engine named and what it
// allows found by trying; every workload on both sides with the same checksums, at every
// variant and thread count the engine has; bad input refused in words, through the API and in a
// panel; compareAll quick; export and import labelled by engine; the fallback builds; a static
// host with the isolation service worker; the layout at 800 px and screenshots. Chromium's
// deeper suites (e2e/, playwright-core) stay Chromium-only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startStaticServer, screenshotPath, ROOT } from '../e2e/harness.mjs';
import { enginesFrom, launch } from './drivers.mjs';
import { engineLabel } from '../../www/kernels/features.js';

const [ENGINE] = enginesFrom(process.env.PARALLAX_ENGINE || 'chromium', 'PARALLAX_ENGINE');

/** What each engine here allows (docs/engines.md): WebKitGTK 2.50 is isolated but cannot post a
 *  shared memory to a worker, so it runs the single-threaded SIMD build and says why. */
const EXPECTED = {
  chromium: { build: 'threads+simd', why: null },
  firefox: { build: 'threads+simd', why: null },
  webkit: { build: 'simd', why: /WebKit .* cannot share a WebAssembly memory with a worker \(postMessage: DataCloneError/ },
};

/** The narrowest window WebKitGTK's MiniBrowser takes (measured: a 390 px request gives 447). */
const MINIBROWSER_MIN_WIDTH = 447;

let server, tab;

/** Opens `url` and waits for the page (module graph loaded, `parallax.ready` settled). */
async function open(url, { isolated = true } = {}) {
  await tab.goto(url);
  // WebKit defines window.parallax only once the module graph has loaded: poll the page's own
  // flag; a failed start says why at once instead of waiting out the timeout.
  const started = await tab.waitFor((iso) => document.querySelector('[data-testid="start-error"]')?.textContent
    || (document.body?.dataset.ready === 'true' && (!iso || self.crossOriginIsolated) && 'ready'), isolated, { timeout: 60_000 })
    .catch(async (e) => {
      // Where the page stood when it gave up (a start that hangs says nothing by itself).
      const state = await tab.evaluate(() => JSON.stringify({
        url: location.href.slice(0, 120), readyState: document.readyState, isolated: self.crossOriginIsolated,
        dataset: { ...document.body?.dataset }, env: document.querySelector('[data-testid="env-summary"]')?.textContent,
        panels: document.getElementById('panels')?.textContent.slice(0, 200),
      })).catch((err) => `unreadable: ${err.message}`);
      throw new Error(`${e.message}\nthe page: ${state}`);
    });
  assert.equal(started, 'ready', `${ENGINE} did not start`);
  // A start the engine had to replace (www/kernels/engine.js, START_TIMEOUTS_MS) is said.
  const attempts = await tab.evaluate(() => window.parallax.exportResults().environment?.startup?.attempts ?? null);
  if (attempts > 1) console.log(`# ${ENGINE}: the kernels' worker started on attempt ${attempts} (${url})`);
}

before(async () => {
  server = await startServer();
  tab = await launch(ENGINE);
  await open(server.url);
});

after(async () => {
  await tab?.close();
  await server?.stop();
});

const run = (spec) => tab.evaluate((s) => window.parallax.run(s).catch((e) => ({ rejected: e })), spec);
const env = () => tab.evaluate(() => window.parallax.env());

test(`${ENGINE}: the page names its engine and runs the build the engine allows, saying why`, async () => {
  const e = await env();
  assert.equal(e.engine.name, ENGINE, JSON.stringify(e.engine));
  assert.ok(e.engine.version, 'a version');
  assert.equal(e.isolated, true);
  assert.equal(e.simd, true);
  assert.equal(e.build, EXPECTED[ENGINE].build, e.why);
  if (EXPECTED[ENGINE].why) assert.match(e.why, EXPECTED[ENGINE].why);
  else assert.equal(e.why, '');
  // A pool of the reported cores where there are threads, one thread where there are none.
  const cores = await tab.evaluate(() => navigator.hardwareConcurrency);
  assert.equal(e.threads, e.build === 'threads+simd' ? cores : 1);
  const shown = await tab.evaluate(() => document.querySelector('[data-testid="env-browser"]').textContent);
  assert.ok(shown.includes(e.engine.label), shown);
  const isolatedText = await tab.evaluate(() => document.querySelector('[data-testid="env-isolated"]').textContent);
  assert.match(isolatedText, e.build === 'threads+simd' ? /SharedArrayBuffer is on/ : /cannot share memory with a worker/);
  if (e.why) {
    const threads = await tab.evaluate(() => document.querySelector('[data-testid="env-threads"]').textContent);
    assert.ok(threads.includes(e.why), threads);
  }
  assert.deepEqual(tab.errors, [], tab.errors.join('\n'));
});

/** A small case of every workload and task: the book's Julia, the rest scaled down. */
const CASES = [
  { workload: 'julia', params: {}, expect: '33219980' },
  { workload: 'diffusion', params: { width: 256, height: 256, steps: 100 } },
  { workload: 'primes', params: { task: 'check', n: '1000000007' }, expect: '1' },
  { workload: 'primes', params: { task: 'range', start: '100000000', end: '100100000' } },
  { workload: 'primes', params: { task: 'count', limit: '10000000' }, expect: '664579' },
  { workload: 'pi', params: { samples: '1000000' }, expect: '785712' },
];

test(`${ENGINE}: every workload gives the server's checksum, for each variant and thread count`, async () => {
  const described = await tab.evaluate(() => window.parallax.describe().map((d) => d.name));
  assert.deepEqual([...new Set(CASES.map((c) => c.workload))].sort(), [...described].sort(), 'a case for every workload');
  const { threads } = await env();
  for (const c of CASES) {
    for (const variant of ['reference', 'simd']) {
      for (const t of [...new Set([1, threads])]) {
        const spec = { workload: c.workload, params: c.params, variant, threads: t };
        const b = await run({ ...spec, side: 'browser' });
        const s = await run({ ...spec, side: 'server' });
        const what = `${c.workload} ${JSON.stringify(c.params)} ${variant} t${t}`;
        assert.ok(!b.rejected && !s.rejected, `${what}: ${JSON.stringify({ b, s })}`);
        assert.equal(b.checksum, s.checksum, what);
        if (c.expect) assert.equal(b.checksum, c.expect, what);
        assert.equal(typeof b.kernel_ms, 'number', what);
      }
    }
  }
});

test(`${ENGINE}: bad input is refused with the field named, by the API and in the panel`, async () => {
  for (const params of [{ width: 0 }, { max_iter: 'many' }, { widht: 3 }]) {
    const b = await run({ side: 'browser', workload: 'julia', params });
    const s = await run({ side: 'server', workload: 'julia', params });
    assert.ok(b.rejected && s.rejected, JSON.stringify({ b, s }));
    assert.equal(b.rejected.field, s.rejected.field);
    assert.equal(b.rejected.message, s.rejected.message);
  }
  const { threads } = await env();
  const t = await run({ side: 'browser', workload: 'julia', threads: threads + 1 });
  assert.equal(t.rejected?.field, 'threads');
  // Typed into the panel: the message under the field, in the server's words, and no run.
  await tab.fill('field-julia-width', '0');
  const said = await tab.waitFor(() => document.querySelector('[data-testid="message-julia-width"]').textContent, null, { timeout: 5000 });
  assert.match(said, /width/);
  assert.equal(said, (await run({ side: 'server', workload: 'julia', params: { width: 0 } })).rejected.message);
  assert.equal(await tab.evaluate(() => document.querySelector('[data-testid="run-both-julia"]').disabled), true);
  await tab.fill('field-julia-width', '1000');
  await tab.waitFor(() => document.querySelector('[data-testid="message-julia-width"]').textContent === '', null, { timeout: 5000 });
});

test(`${ENGINE}: compareAll({ quick }) agrees on every checksum; rows and export name the engine`, async () => {
  const rows = await tab.evaluate(() => window.parallax.compareAll({ quick: true }));
  assert.ok(rows.length >= 8, `${rows.length} rows`);
  for (const r of rows) {
    assert.equal(r.same_checksum, true, `${r.workload} ${JSON.stringify(r.params)} ${r.variant}`);
    assert.equal(r.conditions.engine, ENGINE);
    assert.ok(r.ratio.low <= r.ratio.estimate && r.ratio.estimate <= r.ratio.high, JSON.stringify(r.ratio));
  }
  const exported = await tab.evaluate(() => window.parallax.exportResults());
  assert.equal(exported.environment.engine, ENGINE);
  assert.ok(exported.environment.engine_version);
  const csv = await tab.evaluate(async () => (await import('./compare/export.js')).toCsv(window.parallax.exportResults()));
  const [header, first] = csv.split('\r\n');
  assert.match(header, /,source_browser,engine,engine_version,/);
  // Right after the user agent (quoted when it holds commas).
  assert.ok(first.includes(`,${ENGINE},${exported.environment.engine_version},`), first);

  // Imported into a fresh page (as a dropped file): shown beside, labelled by its engine.
  await open(server.url);
  await tab.evaluate(async (text) => {
    const input = document.querySelector('[data-testid="import-file"]');
    const files = new DataTransfer();
    files.items.add(new File([text], 'from-this-engine.json', { type: 'application/json' }));
    input.files = files.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, JSON.stringify(exported));
  const status = await tab.waitFor(() => /Imported/.test(document.querySelector('[data-testid="share-status"]').textContent)
    && document.querySelector('[data-testid="share-status"]').textContent, null, { timeout: 10_000 });
  assert.ok(status.includes(`Imported 1 file: ${engineLabel(ENGINE, exported.environment.engine_version)} · `), status);
});

test(`${ENGINE}: a quick race gives a verdict per workload, shown on the page, and its link reopens it`, async () => {
  await open(server.url);
  const v = await tab.evaluate(() => window.parallax.race({ quick: true }));
  const workloads = await tab.evaluate(() => window.parallax.describe().map((d) => d.name));
  assert.deepEqual(v.rows.map((r) => r.workload), workloads);
  assert.equal(v.conditions.engine, ENGINE);
  for (const r of v.rows) {
    assert.equal(r.same_checksum, true, r.text);
    const product = r.split.wasm.estimate * r.split.width.estimate * r.split.rest.estimate;
    assert.ok(Math.abs(product / r.ratio.estimate - 1) < 5e-3, `${r.workload}: ${product} vs ${r.ratio.estimate}`);
    // Where the browser has one thread, the defaults' leg says so.
    assert.equal(r.threads.browser, (await env()).threads);
  }
  const shown = await tab.waitFor(() => document.querySelector('[data-testid="verdict-overall"]')?.textContent, null, { timeout: 10_000 });
  assert.equal(shown, v.overall.text);
  const href = await tab.evaluate(() => document.querySelector('[data-testid="verdict-href"]').href);
  // A fresh load (following its own link in place would be no news to the page).
  await tab.goto('about:blank');
  await open(href);
  const source = await tab.waitFor(() => {
    const text = document.querySelector('[data-testid="verdict-source"]')?.textContent;
    return text?.startsWith('A verdict shared') && text;
  }, null, { timeout: 10_000 });
  assert.match(source, new RegExp(`^A verdict shared with you, measured on ${engineLabel(ENGINE, v.conditions.engine_version)}, `));
  assert.equal(await tab.evaluate(() => document.querySelector('[data-testid="verdict-overall"]').textContent), v.overall.text);
});

test(`${ENGINE}: the fallback builds, forced, compute the same checksums and say why`, async () => {
  for (const build of ['simd', 'plain']) {
    await open(`${server.url}/?build=${build}`);
    const e = await env();
    assert.equal(e.build, build);
    assert.equal(e.threads, 1);
    // Said when it is smaller than the engine's own best (WebKitGTK's best is the SIMD build).
    if (build !== EXPECTED[ENGINE].build) assert.match(e.why, new RegExp(`\\?build=${build} asks for it`));
    for (const c of [CASES[0], CASES[1], CASES[5]]) {
      const b = await run({ workload: c.workload, params: c.params, side: 'browser' });
      const s = await run({ workload: c.workload, params: c.params, side: 'server' });
      assert.ok(!b.rejected && !s.rejected, `${build}: ${c.workload}: ${JSON.stringify({ b, s })}`);
      assert.equal(b.checksum, s.checksum, `${build}: ${c.workload}`);
    }
  }
});

test(`${ENGINE}: on a static host (no headers) the isolation service worker gives the engine's best build`, async () => {
  const host = await startStaticServer(`${ROOT}/dist`);
  try {
    await tab.goto(`${host.url}/`);
    await tab.waitFor(() => document.body?.dataset.ready === 'true' && window.parallaxIsolation?.source !== 'reloading', null, { timeout: 60_000 });
    const e = await env();
    assert.equal(e.isolated, true, JSON.stringify(e.isolation));
    assert.equal(e.isolation.source, 'service worker');
    assert.equal(e.build, EXPECTED[ENGINE].build, e.why);
    const julia = await run({ side: 'browser', workload: 'julia' });
    assert.equal(julia.checksum, '33219980');
  } finally {
    await host.stop();
  }
});

test(`${ENGINE}: nothing overflows at 1280, 800 and 390 px; screenshots`, async () => {
  await open(server.url);
  await tab.waitFor(() => document.body.dataset.firstPictures === 'true', null, { timeout: 30_000 });
  for (const [name, width, height] of [['desktop', 1280, 900], ['800', 800, 900], ['phone', 390, 844]]) {
    await tab.setViewport({ width, height });
    await new Promise((r) => setTimeout(r, 300)); // a relayout
    // MiniBrowser's window is at least 447 px wide: there the phone case is checked at 447.
    const actual = await tab.evaluate(() => window.innerWidth);
    if (ENGINE === 'webkit' && width < MINIBROWSER_MIN_WIDTH) assert.equal(actual, MINIBROWSER_MIN_WIDTH, name);
    else assert.equal(actual, width, `${name}: the viewport is ${width} px wide`);
    const wide = await tab.evaluate(() => {
      const out = [];
      for (const node of document.querySelectorAll('[data-testid="env"] dd, [data-testid="env"] dl')) {
        if (node.scrollWidth > node.clientWidth + 1) out.push(`${node.closest('[data-testid]')?.dataset.testid}: ${node.scrollWidth} > ${node.clientWidth}`);
      }
      if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push(`the page: ${document.documentElement.scrollWidth} > ${window.innerWidth}`);
      return out;
    });
    assert.deepEqual(wide, [], `${name}: ${wide.join('; ')}`);
    await tab.screenshot(screenshotPath(`${ENGINE}-${name}.png`));
  }
});
