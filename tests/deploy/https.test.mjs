// The page over HTTPS by a name, as a visitor beyond localhost gets it: headless Chromium opens
// https://parallax.test:<port>/ (the name mapped to 127.0.0.1, the throw-away test CA's leaf
// accepted by its key's hash) served (a) by parallax-server itself with --tls-cert, (b) by the
// shipped deploy/nginx.conf in front of two replicas. A secure context keeps the threads:
// cross-origin isolated, a pool of hardwareConcurrency workers, the book's Julia checksum on
// both sides. Plain HTTP by a name would give one thread (docs/deploy.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, launchBrowser, startServer } from '../e2e/harness.mjs';
import { makeCerts, startNginx, startReplica } from './replicas.mjs';

const BOOK_SUM = '33219980';
let certs, browser;
const stops = [];

before(async () => {
  certs = makeCerts();
  browser = await launchBrowser({}, ['--host-resolver-rules=MAP parallax.test 127.0.0.1', `--ignore-certificate-errors-spki-list=${certs.spki}`]);
});

after(async () => {
  await browser?.close();
  for (const stop of stops.reverse()) await stop();
});

/** Opens `url` and checks the page is isolated, threaded and right on both sides. */
async function threadedAndRight(url) {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => window.parallax, null, { timeout: 30_000 });
  const env = await page.evaluate(() => window.parallax.ready);
  const facts = await page.evaluate(() => ({ secure: self.isSecureContext, isolated: self.crossOriginIsolated, cores: navigator.hardwareConcurrency, origin: location.origin }));
  assert.equal(facts.secure, true);
  assert.equal(facts.isolated, true);
  assert.equal(env.build, 'threads+simd', env.why);
  assert.equal(env.threads, facts.cores);
  assert.match(facts.origin, /^https:\/\/parallax\.test:\d+$/);
  const sums = await page.evaluate(async () => Promise.all(['browser', 'server'].map((side) =>
    window.parallax.run({ side, workload: 'julia', params: {}, variant: 'simd' }).then((r) => r.checksum))));
  assert.deepEqual(sums, [BOOK_SUM, BOOK_SUM]);
  assert.deepEqual(errors, []);
  await page.close();
}

test('parallax-server --tls-cert: the page by name over HTTPS keeps its threads', async () => {
  const server = await startServer(['--tls-cert', certs.cert, '--tls-key', certs.key]);
  stops.push(server.stop);
  assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  await threadedAndRight(`https://parallax.test:${new URL(server.url).port}/`);
});

test('deploy/nginx.conf in front of two replicas: the page by name over HTTPS (HTTP/2) keeps its threads', async () => {
  const [a, b, listen, plain] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const replicas = [await startReplica('a', a), await startReplica('b', b)];
  stops.push(...replicas.map((r) => r.stop));
  const proxy = await startNginx([a, b], listen, plain, certs);
  stops.push(proxy.stop);
  const page = await browser.context.newPage();
  const response = await page.goto(`https://parallax.test:${listen}/`);
  assert.equal(response.headers()['strict-transport-security'], 'max-age=63072000');
  // HTTP/2 by ALPN: the protocol the page's own load used.
  assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation')[0].nextHopProtocol), 'h2');
  await page.close();
  await threadedAndRight(`https://parallax.test:${listen}/`);
});
