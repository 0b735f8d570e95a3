// Replicas and nginx for the load-balancer test and its benchmark: the release binary on
// loopback ports with --instance and --trusted-proxy, and Debian's nginx running the shipped
// deploy/nginx.conf with its ports and paths replaced.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../e2e/harness.mjs';

const BIN = join(ROOT, 'target', 'release', 'parallax-server');

/** A replica named `name` on `port` (one kernel thread) → { child, port, stop }. */
export function startReplica(name, port, extra = []) {
  const child = spawn(BIN, ['--addr', `127.0.0.1:${port}`, '--dist', join(ROOT, 'dist'), '--threads', '1',
    '--instance', name, '--trusted-proxy', '127.0.0.1', '--timeout', '20', '--drain', '2', ...extra],
  { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, RUST_LOG: 'warn' } });
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

/** A throw-away CA and a leaf for parallax.test, localhost and 127.0.0.1 (tests/tls/certs.sh)
 *  in a fresh directory → { dir, ca, cert, key, spki }. */
export function makeCerts() {
  const dir = mkdtempSync(join(tmpdir(), 'parallax-certs-'));
  execFileSync('bash', [join(ROOT, 'tests', 'tls', 'certs.sh'), dir]);
  return {
    dir, ca: readFileSync(join(dir, 'ca.pem')), cert: join(dir, 'leaf.pem'), key: join(dir, 'leaf.key'),
    spki: readFileSync(join(dir, 'spki.txt'), 'utf8').trim(),
  };
}

/** The CA that `request` trusts for https:// URLs (the last nginx's). */
let trusted = null;

/** nginx with deploy/nginx.conf in front of the replicas on `ports`: HTTPS on `listen` with
 *  `certs` (makeCerts), plain HTTP on `plain` (which only redirects) → { stop } once
 *  /api/health answers through it. */
export async function startNginx(ports, listen, plain, certs) {
  const prefix = mkdtempSync(join(tmpdir(), 'parallax-nginx-'));
  for (const d of ['tmp/body', 'tmp/proxy', 'tmp/fastcgi', 'tmp/uwsgi', 'tmp/scgi']) mkdirSync(join(prefix, d), { recursive: true });
  const shipped = {
    'listen 443 ssl http2': `listen 127.0.0.1:${listen} ssl http2`,
    'listen 80;': `listen 127.0.0.1:${plain};`,
    '/etc/letsencrypt/live/parallax.example/fullchain.pem': certs.cert,
    '/etc/letsencrypt/live/parallax.example/privkey.pem': certs.key,
  };
  let conf = readFileSync(join(ROOT, 'deploy', 'nginx.conf'), 'utf8');
  for (const [from, to] of Object.entries(shipped)) {
    if (!conf.includes(from)) throw new Error(`deploy/nginx.conf no longer has "${from}", which the tests replace`);
    conf = conf.replace(from, to);
  }
  const upstream = ['server 127.0.0.1:8081', 'server 127.0.0.1:8082'];
  if (!upstream.every((s) => conf.includes(s))) throw new Error('deploy/nginx.conf no longer names the replicas the tests replace');
  const upstreams = ports.map((p) => `server 127.0.0.1:${p}`);
  conf = conf.replace(upstream[0], upstreams.join(' max_fails=1 fail_timeout=5s;\n        ')).replace(`${upstream[1]} max_fails=1 fail_timeout=5s;\n`, '');
  writeFileSync(join(prefix, 'nginx.conf'), conf);
  trusted = certs.ca;
  const child = spawn('nginx', ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise((done) => child.once('exit', done));
  const stop = async () => { child.kill('SIGTERM'); await exited; rmSync(prefix, { recursive: true, force: true }); };
  for (let i = 0; i < 100; i++) {
    if (await request('GET', `https://127.0.0.1:${listen}/api/health`).then((r) => r.status === 200, () => false)) return { stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`nginx did not answer on ${listen} within 10 s (see ${prefix}/error.log)`);
}

/** One HTTP or HTTPS request (optionally from `localAddress`, with `headers`; HTTPS trusts the
 *  last nginx's test CA, `tls`: more of node's TLS options) → { status, headers, body, json };
 *  `signal` aborts it. */
export function request(method, url, { body, localAddress, headers = {}, signal, tls = {} } = {}) {
  const secure = url.startsWith('https:');
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(url, {
      method, localAddress, signal, agent: false, ...(secure ? { ca: trusted, ...tls } : {}),
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
