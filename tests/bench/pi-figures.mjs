// Monte Carlo π in nanoseconds per dart, both sides of the real page in one run: the browser's
// wasm module (headless Chromium) and the release server's native kernel (its `kernel_ms`), for
// reference and simd at every width × threads 1 and all, medians of RUNS runs after a warm-up.
// A figure, not a test: `node tests/bench/pi-figures.mjs` after `cargo xtask build` (it starts
// its own server). SAMPLES sets the darts per run (default 10⁷, as the book's peer is run).
import { kernelTimes, median } from './kernel-times.mjs';
import { startServer, launchBrowser, openPage } from '../e2e/harness.mjs';

const RUNS = Number(process.env.RUNS || 5);
const SAMPLES = Number(process.env.SAMPLES || 1e7);

const server = await startServer();
const browser = await launchBrowser();
try {
  const { page } = await openPage(browser.context, server.url);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const info = await page.evaluate(() => window.parallax.env().server);
  const time = (spec) => kernelTimes(page, spec, RUNS);
  console.log(`${SAMPLES} darts per run, medians of ${RUNS}; server: ${info.cpu}, ${info.simd} (${info.lanes} lanes)`);
  console.log('| variant | lanes | threads | browser ns/dart | server ns/dart | browser/server |');
  console.log('|---|---|---|---|---|---|');
  for (const [variant, lanes] of [['reference', null], ['simd', 2], ['simd', 4], ['simd', 8]]) {
    for (const threads of [1, cores]) {
      const spec = { workload: 'pi', params: { samples: String(SAMPLES) }, variant, threads, lanes };
      const b = median(await time({ ...spec, side: 'browser' })) * 1e6 / SAMPLES;
      const s = median(await time({ ...spec, side: 'server' })) * 1e6 / SAMPLES;
      console.log(`| ${variant} | ${lanes ?? '–'} | ${threads} | ${b.toFixed(2)} | ${s.toFixed(2)} | ${(b / s).toFixed(2)} |`);
    }
  }
} finally {
  await browser.close();
  await server.stop();
}
