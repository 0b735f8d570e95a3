// Monte Carlo π, the workload added through its description alone: docs/workloads.md's counts in the
// browser and on the server for every variant and thread count, bad input refused in the same
// words on both sides, and its panel: the book's presets, the dart board on both sides, the
// estimate with its 95 % interval.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage, screenshotPath } from './harness.mjs';
import { VIEWPORTS, preset, runAndRead, assertBothRow } from './ui.mjs';

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

const run = (spec) => page.evaluate((s) => window.parallax.run(s).catch((e) => ({ rejected: e })), spec);

test('pi gives docs/workloads.md\'s counts on both sides for every variant, width and thread count', async () => {
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const serverLanes = await page.evaluate(() => window.parallax.env().server.lanes);
  const cases = [
    { params: { samples: 1000 }, inside: '779' },
    { params: { samples: '1000000', seed: '0' }, inside: '785712', estimate: 3.142848 },
  ];
  for (const c of cases) {
    for (const [variant, lanes] of [['reference', undefined], ['simd', undefined], ['simd', 2], ['simd', 8]]) {
      for (const threads of [1, cores]) {
        const got = {};
        for (const side of ['browser', 'server']) {
          const r = await run({ side, workload: 'pi', params: c.params, variant, threads, lanes });
          const what = `${side} ${JSON.stringify(c.params)} ${variant} ×${lanes} t${threads}`;
          assert.ok(!r.rejected, `${what}: ${JSON.stringify(r.rejected)}`);
          assert.equal(r.checksum, c.inside, what);
          assert.equal(r.inside, c.inside, what);
          if (c.estimate) assert.equal(r.estimate, c.estimate, what);
          assert.equal(typeof r.deviation, 'number');
          got[side] = r;
        }
        // The same object from both sides (the API's answer), but for each side's timings and,
        // when no width is asked for, each side's widest (wasm 2 lanes, the server its own).
        const answer = ({ side: _s, kernel_ms: _k, queue_ms: _q, round_trip_ms: _r, ...rest }) => rest;
        const widest = variant === 'simd' && lanes === undefined;
        assert.deepEqual({ ...answer(got.browser), lanes: null }, { ...answer(got.server), lanes: null });
        assert.deepEqual([got.browser.lanes, got.server.lanes],
          widest ? [2, serverLanes] : [lanes ?? null, lanes ?? null], `${variant} ×${lanes}: lanes in use`);
        assert.deepEqual(Object.keys(answer(got.browser)).sort(),
          ['checksum', 'deviation', 'estimate', 'inside', 'lanes', 'repeat', 'threads', 'variant', 'workload']);
      }
    }
  }
});

test('bad pi input gets the field\'s words from both sides', async () => {
  const cases = [
    { samples: 0 }, { samples: '10000000001' }, { samples: '1e3' }, { samples: -1 },
    { samples: '18446744073709551616' }, { samples: 1.5 }, { darts: 10 }, { seed: 'x' },
  ];
  for (const params of cases) {
    const b = await run({ side: 'browser', workload: 'pi', params });
    const s = await run({ side: 'server', workload: 'pi', params });
    assert.ok(b.rejected && s.rejected, JSON.stringify({ params, b, s }));
    assert.equal(b.rejected.field, s.rejected.field, JSON.stringify(params));
    assert.equal(b.rejected.message, s.rejected.message, JSON.stringify(params));
    assert.ok(b.rejected.field && b.rejected.message.includes(b.rejected.field), JSON.stringify(b.rejected));
  }
  const range = await run({ side: 'browser', workload: 'pi', params: { samples: 0 } });
  assert.match(range.rejected.message, /\[1, 10000000000\]/);
});

test('the pi panel runs the book\'s presets on both sides, draws the dart board and the interval', async () => {
  const labels = await page.getByTestId('preset-pi').locator('option').allTextContents();
  for (const want of [/10⁸/, /10⁴.*9-1/, /10⁷/]) assert.ok(labels.some((l) => want.test(l)), `${want} in ${labels}`);
  await preset(page, 'pi', '10⁴ darts (the book\'s figure 9-1)');
  const small = await runAndRead(page, 'pi', 'both');
  assertBothRow(small, 'pi 10⁴');
  for (const side of ['browser', 'server']) {
    const caption = await page.getByTestId(`caption-${side}-pi`).textContent();
    assert.match(caption, /π ≈ 3\.\d{6}, 95 % interval \[\d\.\d{5}, \d\.\d{5}\]/, caption);
    assert.match(caption, /of 10,000 darts inside/, caption);
  }
  // The dart board: both colours on the browser's canvas, at the kernels' 512 × 512.
  const board = await page.getByTestId('canvas-pi').evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let blue = 0, orange = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] === 0 && d[i + 1] === 114 && d[i + 2] === 178) blue++;
      if (d[i] === 230 && d[i + 1] === 159 && d[i + 2] === 0) orange++;
    }
    return { width: c.width, height: c.height, blue, orange };
  });
  assert.equal(board.width, 512);
  assert.ok(board.blue > 1000 && board.orange > 200, JSON.stringify(board));
  const img = page.getByTestId('server-image-pi');
  assert.equal(await img.evaluate((i) => i.complete && i.naturalWidth), 512);
  await preset(page, 'pi', '10⁷ darts');
  assertBothRow(await runAndRead(page, 'pi', 'both'), 'pi 10⁷');
  await page.getByTestId('panel-pi').screenshot({ path: screenshotPath('ui-desktop-pi.png') });
  assert.deepEqual(errors, [], errors.join('\n'));
});
