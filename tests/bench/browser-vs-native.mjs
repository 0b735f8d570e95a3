// Browser-vs-native benchmark: each workload × variant × threads 1/all, on both sides of the
// real page (headless Chromium + the release server), medians of RUNS runs after a warm-up.
// A figure, not a test: run `node tests/bench/browser-vs-native.mjs` after `cargo xtask serve`'s
// build (it starts its own server). Prints a Markdown table and the wasm size and ready time.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { kernelTimes, median } from './kernel-times.mjs';
import { startServer, launchBrowser, openPage, ROOT } from '../e2e/harness.mjs';

const RUNS = Number(process.env.RUNS || 5);
const CASES = [
  { workload: 'julia', label: 'julia 1000²/300', params: {} },
  { workload: 'diffusion', label: 'diffusion 1024²×100', params: { steps: 100 } },
  { workload: 'primes', label: 'primes check 18-digit prime', params: { n: '100109100129162907' }, skipReference: true },
  { workload: 'primes', label: 'primes range [1e8, 1.01e8)', params: { task: 'range' } },
  { workload: 'primes', label: 'primes count π(1e9)', params: { task: 'count' }, skipReference: true },
  { workload: 'pi', label: 'pi 10⁸ darts', params: {} },
];

const server = await startServer();
const browser = await launchBrowser();
try {
  const { page, readyMs } = await openPage(browser.context, server.url);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const time = (spec) => kernelTimes(page, spec, RUNS);
  console.log(`| case | variant | threads | browser ms | server ms | browser/server |`);
  console.log(`|---|---|---|---|---|---|`);
  for (const c of CASES) {
    for (const variant of ['reference', 'simd']) {
      if (variant === 'reference' && c.skipReference) continue;
      for (const threads of [1, cores]) {
        const spec = { workload: c.workload, params: c.params, variant, threads };
        const b = median(await time({ ...spec, side: 'browser' }));
        const s = median(await time({ ...spec, side: 'server' }));
        console.log(`| ${c.label} | ${variant} | ${threads} | ${b.toFixed(2)} | ${s.toFixed(2)} | ${(b / s).toFixed(2)} |`);
      }
    }
  }
  const wasm = readFileSync(join(ROOT, 'dist', 'parallax-web_bg.wasm'));
  console.log(`\n.wasm ${wasm.length} bytes raw, ${gzipSync(wasm, { level: 9 }).length} gzipped; parallax.ready ${readyMs} ms after navigation`);
} finally {
  await browser.close();
  await server.stop();
}
