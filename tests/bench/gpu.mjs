// The GPU side beside the CPU sides, hand-run: `node bench/gpu.mjs [RUNS]` after `cargo xtask
// build` (default 5 runs a case). Headless Chromium with --enable-unsafe-webgpu, whose adapter
// here is SwiftShader — a CPU emulating a GPU: these are correctness and overhead figures, not a
// GPU's times (docs/gpu.md). For each case: the median kernel_ms of the GPU, of the wasm simd
// kernels (2 lanes, every thread) and of the server (simd, widest, every thread), each run
// alone; the GPU's checksum against the server's, and Julia's agreement with the f32 kernels.
// Writes target/bench/gpu.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startServer, launchBrowser, openPage } from '../e2e/harness.mjs';
import { median } from '../../www/compare/stats.js';

const runs = Number(process.argv[2] ?? 5);
if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new Error(`RUNS = ${process.argv[2]}: allowed an integer in [1, 50]`);

const CASES = [
  { label: 'π, 10⁷ darts', workload: 'pi', params: { samples: '10000000' } },
  { label: 'π, the book: 10⁸ darts', workload: 'pi', params: {} },
  { label: 'Julia f32, the book: 1000², 300 iterations', workload: 'julia', params: { precision: 'f32' } },
  { label: 'Julia f32, 640 × 480, 500 iterations', workload: 'julia', params: { precision: 'f32', width: 640, height: 480, max_iter: 500 } },
  { label: 'Julia f32, c = i, 500 iterations', workload: 'julia', params: { precision: 'f32', c_re: 0, c_im: 1, max_iter: 500 } },
  { label: 'Julia f32, heavy: 2048², 1000 iterations', workload: 'julia', params: { precision: 'f32', width: 2048, height: 2048, max_iter: 1000 } },
];

const server = await startServer();
const browser = await launchBrowser({}, ['--enable-unsafe-webgpu']);
try {
  const { page } = await openPage(browser.context, server.url);
  const status = await page.evaluate(() => window.parallax.gpu.status());
  if (!status.available) throw new Error(`no GPU side: ${status.why}`);
  const info = await page.evaluate(() => window.parallax.env().server);
  console.log(`GPU: ${status.adapter.vendor} ${status.adapter.architecture}${status.adapter.fallback ? ' (software: not a GPU\'s times)' : ''}; server ${info.cpu} (${info.simd}, ${info.lanes} lanes, ${info.pool_threads} threads)`);
  const results = [];
  for (const c of CASES) {
    const times = { gpu: [], browser: [], server: [] };
    let last = {};
    for (let i = 0; i < runs + 1; i++) {
      for (const side of ['gpu', 'browser', 'server']) {
        const out = await page.evaluate((s) => window.parallax.run(s).then(({ picture: _p, ...r }) => r), { side, workload: c.workload, params: c.params, variant: 'simd' });
        if (i > 0) times[side].push(out.kernel_ms);
        last[side] = out;
      }
    }
    const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
    const row = {
      ...c, runs, median_ms: m, gpu_over_browser: m.gpu / m.browser, gpu_over_server: m.gpu / m.server,
      checksums: { gpu: last.gpu.checksum, browser: last.browser.checksum, server: last.server.checksum }, agreement: last.gpu.agreement ?? null,
    };
    results.push(row);
    const a = row.agreement ? `; agreement ${row.agreement.equal_pixels}/${row.agreement.total_pixels}, max difference ${row.agreement.max_difference}` : '';
    console.log(`${c.label}: GPU ${m.gpu.toFixed(1)} ms, wasm ${m.browser.toFixed(1)} ms, server ${m.server.toFixed(1)} ms `
      + `(GPU/wasm ${row.gpu_over_browser.toFixed(2)}, GPU/server ${row.gpu_over_server.toFixed(2)}); checksums GPU ${row.checksums.gpu}, server ${row.checksums.server}${a}`);
  }
  const dir = join(ROOT, 'target', 'bench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'gpu.json'), JSON.stringify({ adapter: status.adapter, server: info, results }, null, 1));
} finally {
  await browser.close();
  await server.stop();
}
