// Replicas and nginx for the load-balancer test and its benchmark: the release binary on
// loopback ports with --instance and --trusted-proxy, and Debian's nginx running the shipped
// deploy/nginx.conf with its ports and paths replaced.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import http from 'node:http';
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

/** nginx with deploy/nginx.conf in front of the replicas on `ports`, listening on `listen`
 *  → { stop } once /api/health answers through it. */
export async function startNginx(ports, listen) {
  const prefix = mkdtempSync(join(tmpdir(), 'parallax-nginx-'));
  for (const d of ['tmp/body', 'tmp/proxy', 'tmp/fastcgi', 'tmp/uwsgi', 'tmp/scgi']) mkdirSync(join(prefix, d), { recursive: true });
  let conf = readFileSync(join(ROOT, 'deploy', 'nginx.conf'), 'utf8')
    .replace('listen 127.0.0.1:8080', `listen 127.0.0.1:${listen}`);
  const shipped = ['server 127.0.0.1:8081', 'server 127.0.0.1:8082'];
  if (!shipped.every((s) => conf.includes(s))) throw new Error('deploy/nginx.conf no longer names the replicas the tests replace');
  const upstreams = ports.map((p) => `server 127.0.0.1:${p}`);
  conf = conf.replace(shipped[0], upstreams.join(' max_fails=1 fail_timeout=5s;\n        ')).replace(`${shipped[1]} max_fails=1 fail_timeout=5s;\n`, '');
  writeFileSync(join(prefix, 'nginx.conf'), conf);
  const child = spawn('nginx', ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise((done) => child.once('exit', done));
  const stop = async () => { child.kill('SIGTERM'); await exited; rmSync(prefix, { recursive: true, force: true }); };
  for (let i = 0; i < 100; i++) {
    if (await request('GET', `http://127.0.0.1:${listen}/api/health`).then((r) => r.status === 200, () => false)) return { stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`nginx did not answer on ${listen} within 10 s (see ${prefix}/error.log)`);
}

/** One HTTP request (optionally from `localAddress`, with `headers`) → { status, headers, body,
 *  json }; `signal` aborts it. */
export function request(method, url, { body, localAddress, headers = {}, signal } = {}) {
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
