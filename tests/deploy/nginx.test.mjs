// Two replicas behind a real nginx (Debian's package), with deploy/nginx.conf as shipped (its
// ports and paths replaced): the page and the API through it, 8 concurrent heavy runs all
// answered with the right checksums by both instances, a replica stopped mid-test without a
// run lost, and per-visitor fairness through the proxy — each visitor one waiting run, a second
// 429, a forged X-Forwarded-For changing nothing. Visitors are loopback addresses (127.0.0.x).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freePort } from '../e2e/harness.mjs';
import { startReplica, startNginx, request, makeCerts } from './replicas.mjs';

/** The book's Julia case: its checksum is docs/workloads.md's 33,219,980. */
const BOOK = '{"variant": "reference", "threads": 1}';
const BOOK_SUM = '33219980';
/** Long enough to hold a replica busy for the whole fairness test (cancelled at its end). */
const LONG = '{"variant": "reference", "threads": 1, "width": 4096, "height": 4096, "max_iter": 1000}';

let replicas = {}, proxy, base, plainBase, certs;

const run = (body, opts) => request('POST', `${base}/api/julia`, { body, ...opts });

before(async () => {
  const [a, b, listen, plain] = [await freePort(), await freePort(), await freePort(), await freePort()];
  replicas = { a: await startReplica('a', a), b: await startReplica('b', b) };
  certs = makeCerts();
  proxy = await startNginx([a, b], listen, plain, certs);
  base = `https://127.0.0.1:${listen}`;
  plainBase = `http://127.0.0.1:${plain}`;
});

after(async () => {
  await proxy?.stop();
  for (const r of Object.values(replicas)) await r.stop();
});

test('the page and the API go through nginx, with the isolation headers and the instance', async () => {
  const page = await request('GET', `${base}/`);
  assert.equal(page.status, 200);
  assert.equal(page.headers['cross-origin-opener-policy'], 'same-origin');
  assert.equal(page.headers['cross-origin-embedder-policy'], 'require-corp');
  assert.ok(['a', 'b'].includes(page.headers['x-parallax-instance']));
  const health = await request('GET', `${base}/api/health`);
  assert.equal(health.status, 200);
  assert.equal(health.json.status, 'ok');
  const info = await request('GET', `${base}/api/info`);
  assert.equal(info.json.instance, info.headers['x-parallax-instance']);
});

test('nginx speaks TLS 1.2 and 1.3 only, with HSTS; plain HTTP redirects; /metrics stays off the public side', async () => {
  const page = await request('GET', `${base}/`);
  assert.equal(page.headers['strict-transport-security'], 'max-age=63072000');
  const redirect = await request('GET', `${plainBase}/api/info?x=1`);
  assert.equal(redirect.status, 301);
  assert.match(redirect.headers.location, /^https:\/\/127\.0\.0\.1(:\d+)?\/api\/info\?x=1$/);
  for (const version of ['TLSv1.2', 'TLSv1.3']) {
    const r = await request('GET', `${base}/api/health`, { tls: { minVersion: version, maxVersion: version } });
    assert.equal(r.status, 200, version);
  }
  await assert.rejects(request('GET', `${base}/api/health`, { tls: { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' } }),
    'TLS 1.1 is refused');
  assert.equal((await request('GET', `${base}/metrics`)).status, 404);
  // Each replica still answers its own scraper.
  const own = await request('GET', `http://127.0.0.1:${replicas.a.port}/metrics`);
  assert.equal(own.status, 200);
  assert.match(own.body, /^# HELP parallax_/m);
});

test('8 concurrent heavy runs through nginx: all answered, right checksums, both instances', async () => {
  const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => run(BOOK, { localAddress: `127.0.0.${10 + i}` })));
  for (const r of answers) {
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.checksum, BOOK_SUM);
  }
  const seen = new Set(answers.map((r) => r.headers['x-parallax-instance']));
  assert.deepEqual([...seen].sort(), ['a', 'b']);
});

test('a replica stopped mid-test: its runs go to the other, none lost', async () => {
  const runs = Array.from({ length: 8 }, (_, i) => run(BOOK, { localAddress: `127.0.0.${30 + i}` }));
  await new Promise((r) => setTimeout(r, 150));
  await replicas.a.stop();
  delete replicas.a;
  const answers = await Promise.all(runs);
  for (const r of answers) {
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.checksum, BOOK_SUM);
  }
  // After the stop, every answer comes from b.
  const later = await run(BOOK, { localAddress: '127.0.0.40' });
  assert.equal(later.status, 200);
  assert.equal(later.headers['x-parallax-instance'], 'b');
});

test('through the proxy each visitor gets one waiting run; a second is 429, a forged X-Forwarded-For changes nothing', async () => {
  // Only b is up now: a third visitor's long run keeps it busy.
  const stop = new AbortController();
  const swallow = (p) => p.catch(() => null);
  const busy = swallow(run(LONG, { localAddress: '127.0.0.50', signal: stop.signal }));
  const running = async () => (await request('GET', `${base}/api/info`)).json.queue;
  for (let i = 0; i < 100 && (await running()).running !== 1; i++) await new Promise((r) => setTimeout(r, 50));
  const x = swallow(run(LONG, { localAddress: '127.0.0.2', signal: stop.signal }));
  const y = swallow(run(LONG, { localAddress: '127.0.0.3', signal: stop.signal }));
  for (let i = 0; i < 100 && (await running()).waiting !== 2; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal((await running()).waiting, 2, 'both visitors wait');
  const second = await run(LONG, { localAddress: '127.0.0.2' });
  assert.equal(second.status, 429, second.body);
  assert.ok(Number(second.headers['retry-after']) >= 1);
  const forged = await run(LONG, { localAddress: '127.0.0.2', headers: { 'x-forwarded-for': '10.1.2.3' } });
  assert.equal(forged.status, 429, 'a forged header is not believed');
  stop.abort();
  await Promise.all([busy, x, y]);
});
