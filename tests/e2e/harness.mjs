// The real parts the end-to-end tests drive: the release server binary serving the built page
// (dist/) on an ephemeral port of 127.0.0.1, and Debian's Chromium, headless, through
// playwright-core (no browser download: docs/toolchain.md, "Tests in the browser").
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHOTS = join(ROOT, 'target', 'screenshots');

/** Starts the server on the built page (`dist`: another build of it; `addr`: a fixed address);
 *  resolves to { url, stop }. */
export function startServer(extraArgs = [], { dist = join(ROOT, 'dist'), addr = '127.0.0.1:0' } = {}) {
  const bin = join(ROOT, 'target', 'release', 'parallax-server');
  const child = spawn(bin, ['--addr', addr, '--dist', dist, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, RUST_LOG: 'warn' },
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start within 20 s')), 20_000);
    child.on('exit', (code) => reject(new Error(`the server exited with ${code}`)));
    child.stdout.setEncoding('utf8');
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/listening on (https?:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        // `stop` resolves once the process has exited, so a test goes on against a server
        // that is really gone.
        const exited = new Promise((done) => child.once('exit', done));
        resolve({ url: m[1], stop: () => { child.kill('SIGTERM'); return exited; } });
      }
    });
  });
}

/** Chromium's flags for these machines: no sandbox (root), no GPU, and no network of its own
 *  (this machine has none, and Chromium's background requests would fail by the dozen). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Launches headless Chromium with a fresh profile (`options`: more of playwright's context
 *  options, e.g. `serviceWorkers: 'block'`; `args`: more flags); resolves to { context, close }. */
export async function launchBrowser(options = {}, args = []) {
  const profile = mkdtempSync(join(tmpdir(), 'parallax-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    ...options,
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, ...args],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens the page and waits for `parallax.ready`; collects console errors in `errors`. */
export async function openPage(context, url) {
  const page = await context.newPage();
  const errors = [];
  // A refused API request logs "Failed to load resource" too: that is an answer the tests
  // check themselves, not a page error.
  page.on('console', (m) => { if (m.type() === 'error' && !m.location().url.includes('/api/')) errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => { if (r.status() >= 400 && !r.url().includes('/api/')) errors.push(`${r.status()} ${r.url()}`); });
  const started = Date.now();
  await page.goto(url);
  await page.evaluate(() => window.parallax.ready.then(() => null, (e) => { throw new Error(JSON.stringify(e)); }));
  return { page, errors, readyMs: Date.now() - started };
}

export function screenshotPath(name) {
  mkdirSync(SHOTS, { recursive: true });
  return join(SHOTS, name);
}

/** A free port of 127.0.0.1 (for a server that must know its origin before it starts). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Serves `dir` with Python's http.server (a static host: no COOP/COEP, no CSP) on 127.0.0.1;
 *  resolves to { url, stop }. */
export async function startStaticServer(dir) {
  const port = await freePort();
  // Debian's own CPython where it is (a pyenv one may come first on PATH), else any python3.
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const child = spawn(python, ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise((done) => child.once('exit', done));
  for (let i = 0; i < 100; i++) {
    if (await fetch(url).then(() => true, () => false)) return { url, stop: () => { child.kill('SIGTERM'); return exited; } };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the static server did not start within 10 s');
}

/** Waits (30 s at most) until the page — after the isolation service worker's one reload — is
 *  ready; returns how long it took since `started` (ms). */
export async function waitReady(page, started, { isolated = true } = {}) {
  await page.waitForFunction((iso) => document.body?.dataset.ready === 'true' && (!iso || self.crossOriginIsolated),
    isolated, { timeout: 30_000 });
  return Date.now() - started;
}
