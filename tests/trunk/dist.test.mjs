// The two builds of the page cannot drift: README's run command builds dist/ without trunk
// (crates/xtask/src/page.rs), developers build it with trunk; the test command has trunk build
// target/dist-trunk and this test compares them — the same files, the same JavaScript and CSS,
// the same page apart from the links trunk rewrites, wasm modules with the same exports, and the
// same checksums in the browser from either.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startServer, launchBrowser, openPage, ROOT } from '../e2e/harness.mjs';

const OURS = join(ROOT, 'dist');
const TRUNKS = join(ROOT, 'target', 'dist-trunk');

/** Every file below `dir`, relative to it; the single-threaded modules (the xtask's own, in
 *  both cases) and trunk's lock file left out. */
function files(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.filter((f) => !f.startsWith('plain/') && !f.startsWith('simd/') && f !== '.trunk-lock').sort();
}

/** index.html without its link tags (trunk rewrites them; ours drops them) and blank lines. */
function pageText(dir) {
  return readFileSync(join(dir, 'index.html'), 'utf8').split('\n')
    .filter((l) => !/^\s*<link\b/.test(l) && l.trim() !== '').join('\n');
}

test('both builds have the same files, the same scripts and styles, the same page', () => {
  const ours = files(OURS), trunks = files(TRUNKS);
  assert.deepEqual(ours, trunks);
  for (const f of ours.filter((f) => /\.(js|css)$/.test(f))) {
    assert.ok(readFileSync(join(OURS, f)).equals(readFileSync(join(TRUNKS, f))), `${f} differs`);
  }
  assert.equal(pageText(OURS), pageText(TRUNKS));
  // Ours links the style sheet relatively (the page works under a sub-path too).
  assert.match(readFileSync(join(OURS, 'index.html'), 'utf8'), /<link rel="stylesheet" href="style.css">/);
});

test('both wasm modules export the same functions', () => {
  const exports = (dir) => WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(join(dir, 'parallax-web_bg.wasm'))))
    .map((e) => `${e.kind} ${e.name}`).sort();
  assert.deepEqual(exports(OURS), exports(TRUNKS));
});

test('both builds give the book\'s checksums in the browser', async () => {
  const sums = {};
  for (const [name, dist] of [['xtask', OURS], ['trunk', TRUNKS]]) {
    const server = await startServer([], { dist });
    const browser = await launchBrowser();
    try {
      const { page, errors } = await openPage(browser.context, server.url);
      sums[name] = await page.evaluate(async () => {
        const julia = await window.parallax.run({ side: 'browser', workload: 'julia' });
        const pi = await window.parallax.run({ side: 'browser', workload: 'pi', params: { samples: 1000000 } });
        return [julia.checksum, pi.checksum, window.parallax.env().build];
      });
      assert.deepEqual(errors, [], `${name}: ${errors.join('\n')}`);
    } finally {
      await browser.close();
      await server.stop();
    }
  }
  assert.deepEqual(sums.xtask, ['33219980', '785712', 'threads+simd']);
  assert.deepEqual(sums.trunk, sums.xtask);
});
