// Plain `trunk serve`, as a developer runs it from the repository root with nothing set around
// it (no environment of ours: build-std from .cargo/config.toml, wasm-opt put in place by the
// pre-build hook of Trunk.toml), serves a working page: cross-origin isolated by Trunk.toml's
// headers, the threaded SIMD build, the book's checksums in the browser and from the server.
// The server here is on an ephemeral port and the page reaches it by `?api=` (Trunk.toml's
// proxy goes to the fixed 8080 of the development loop). Release, so the module is the one the
// test command's `trunk build --release` just built: no second build of the crate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startServer, launchBrowser, openPage, freePort, ROOT } from '../e2e/harness.mjs';

/** Generous: a cold build of the wasm crate on 2 cores takes minutes; a warm one seconds. */
const BUILD_MS = 600_000;

/** Starts `trunk serve` on `port`; resolves to { url, stop } once it answers for the page. */
async function startTrunk(port) {
  const child = spawn('trunk', ['serve', '--release', '--no-autoreload', '--port', String(port),
    '--dist', join('target', 'dist-trunk-serve')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => { log = (log + chunk).slice(-4000); });
  const exited = new Promise((done) => child.once('exit', done));
  const stop = () => { child.kill('SIGTERM'); return exited; };
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + BUILD_MS;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`trunk serve exited with ${child.exitCode}:\n${log}`);
    const ok = await fetch(`${url}/index.html`).then((r) => r.ok && r.text().then((t) => t.includes('app.js')), () => false);
    if (ok) return { url, stop };
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`trunk serve gave no page within ${BUILD_MS / 1000} s:\n${log}`);
}

test('plain trunk serve serves the page isolated, with threads, and its runs give the book\'s checksums', { timeout: BUILD_MS + 120_000 }, async () => {
  const port = await freePort();
  const api = await startServer(['--allow-origin', `http://127.0.0.1:${port}`]);
  let trunk = null, browser = null;
  try {
    trunk = await startTrunk(port);
    const res = await fetch(`${trunk.url}/`);
    assert.equal(res.headers.get('cross-origin-opener-policy'), 'same-origin');
    assert.equal(res.headers.get('cross-origin-embedder-policy'), 'require-corp');
    browser = await launchBrowser();
    const { page, errors } = await openPage(browser.context, `${trunk.url}/?api=${encodeURIComponent(api.url)}`);
    const got = await page.evaluate(async () => {
      const browserRun = await window.parallax.run({ side: 'browser', workload: 'julia' });
      const serverRun = await window.parallax.run({ side: 'server', workload: 'julia' });
      return { isolated: self.crossOriginIsolated, build: window.parallax.env().build, sums: [browserRun.checksum, serverRun.checksum] };
    });
    assert.deepEqual(got, { isolated: true, build: 'threads+simd', sums: ['33219980', '33219980'] });
    assert.deepEqual(errors, [], errors.join('\n'));
  } finally {
    await browser?.close();
    await trunk?.stop();
    await api.stop();
  }
});
