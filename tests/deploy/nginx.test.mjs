// Two replicas behind a real nginx (Debian's package), with deploy/nginx.conf as shipped (its
// ports and paths replaced): the page and the API through it, 8 concurrent heavy runs all
// answered with the right checksums by both instances, a replica stopped mid-test without a
// run lost, and per-visitor fairness through the proxy — each visitor one waiting run, a second
// 429, a forged X-Forwarded-For changing nothing. Visitors are loopback addresses (127.0.0.x).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, freePort } from '../e2e/harness.mjs';

const BIN = join(ROOT, 'target', 'release', 'parallax-server');
/** The book's Julia case: its checksum is docs/workloads.md's 33,219,980. */
const BOOK = '{"variant": "reference", "threads": 1}';
const BOOK_SUM = '33219980';
/** Long enough to hold a replica busy for the whole fairness test (cancelled at its end). */
const LONG = '{"variant": "reference", "threads": 1, "width": 4096, "height": 4096, "max_iter": 1000}';

let replicas = {}, proxy, base, prefix;

function startReplica(name, port) {
  const child = spawn(BIN, ['--addr', `127.0.0.1:${port}`, '--dist', join(ROOT, 'dist'), '--threads', '1',
    '--instance', name, '--trusted-proxy', '127.0.0.1', '--timeout', '20', '--drain', '2'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`replica ${name} did not start`)), 20_000);
    child.stdout.on('data', (d) => {
      if (String(d).includes('listening on')) {
        clearTimeout(timer);
        const exited = new Promise((done) => child.once('exit', done));
        resolve({ child, port, stop: () => { child.kill('SIGTERM'); return exited; } });
      }
    });
    child.once('exit', (code) => reject(new Error(`replica ${name} exited with ${code}`)));
  });
}

async function startNginx(ports, listen) {
  prefix = mkdtempSync(join(tmpdir(), 'parallax-nginx-'));
  for (const d of ['tmp/body', 'tmp/proxy', 'tmp/fastcgi', 'tmp/uwsgi', 'tmp/scgi']) mkdirSync(join(prefix, d), { recursive: true });
  const conf = readFileSync(join(ROOT, 'deploy', 'nginx.conf'), 'utf8')
    .replace('server 127.0.0.1:8081', `server 127.0.0.1:${ports[0]}`)
    .replace('server 127.0.0.1:8082', `server 127.0.0.1:${ports[1]}`)
    .replace('listen 127.0.0.1:8080', `listen 127.0.0.1:${listen}`);
  assert.ok(conf.includes(`:${ports[0]}`) && conf.includes(`:${ports[1]}`) && conf.includes(`:${listen}`), 'the shipped config has the ports the test replaces');
  writeFileSync(join(prefix, 'nginx.conf'), conf);
  const child = spawn('nginx', ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise((done) => child.once('exit', done));
  for (let i = 0; i < 100; i++) {
    const up = await request('GET', `http://127.0.0.1:${listen}/api/health`).then((r) => r.status === 200, () => false);
    if (up) return { child, stop: () => { child.kill('SIGTERM'); return exited; } };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`nginx did not answer on ${listen} within 10 s (see ${prefix}/error.log)`);
}

/** One HTTP request (optionally from `localAddress`, with `headers`) → { status, headers, body,
 *  json }; `signal` aborts it. */
function request(method, url, { body, localAddress, headers = {}, signal } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method, localAddress, signal, agent: false,
      headers: { ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}), ...headers },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let json = null;
        try { json = JSON.parse(text); } catch { /* the page, not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, body: text, json });
      });
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

const run = (body, opts) => request('POST', `${base}/api/julia`, { body, ...opts });

before(async () => {
  const [a, b, listen] = [await freePort(), await freePort(), await freePort()];
  replicas = { a: await startReplica('a', a), b: await startReplica('b', b) };
  proxy = await startNginx([a, b], listen);
  base = `http://127.0.0.1:${listen}`;
});

after(async () => {
  await proxy?.stop();
  for (const r of Object.values(replicas)) await r.stop();
  if (prefix) rmSync(prefix, { recursive: true, force: true });
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
