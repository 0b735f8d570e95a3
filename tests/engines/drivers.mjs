// One way to drive the page in each browser engine installed from Debian's packages, so that a
// suite or the benchmark harness is written once and run per engine (docs/engines.md):
// - Chromium and Firefox through npm's puppeteer-core (CDP for Chromium, WebDriver BiDi for
//   Firefox: no geckodriver to build);
// - WebKit through npm's selenium-webdriver over WebKitGTK's own `WebKitWebDriver` (W3C WebDriver
//   classic), on a display of its own: an Xvfb started here (MiniBrowser needs a display even in
//   automation). Not xvfb-run: stopped by a signal, it leaves its temporary directory behind.
// playwright-core drives only Chromium here (its Firefox and WebKit are patched builds that cannot
// be downloaded), so the Chromium-only suites in e2e/ keep it.
//
// `launch(engine)` resolves to a Tab: goto, evaluate (an async function of one JSON argument, run
// in the page), waitFor, click / fill by data-testid, screenshot, setViewport, errors (console
// errors and uncaught exceptions, where the driver reports them: not in WebKit), close.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, freePort } from '../e2e/harness.mjs';

export const ENGINES = ['chromium', 'firefox', 'webkit'];

/** Where each engine's browser is (the Debian packages' paths), overridable for other hosts. */
const BINARIES = {
  chromium: process.env.CHROMIUM || '/usr/bin/chromium',
  firefox: process.env.FIREFOX || '/usr/bin/firefox-esr',
  webkit: process.env.MINIBROWSER || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
};

/** The engines named by `list` (e.g. "chromium,firefox"), each checked, each once; all three
 *  when empty. */
export function enginesFrom(list, what = 'engine list') {
  const names = [...new Set(String(list ?? '').split(',').map((s) => s.trim()).filter(Boolean))];
  for (const n of names) {
    if (!ENGINES.includes(n)) throw new Error(`${what}: no engine ${JSON.stringify(n)} (allowed: ${ENGINES.join(', ')})`);
  }
  return names.length ? names : [...ENGINES];
}

/** Whether `engine`'s browser (and for WebKit its driver and Xvfb) is installed. */
export function installed(engine) {
  if (!existsSync(BINARIES[engine])) return false;
  return engine !== 'webkit' || (existsSync('/usr/bin/WebKitWebDriver') && existsSync('/usr/bin/Xvfb'));
}

/** Starts `engine` headless with a fresh profile and one tab at `viewport`; resolves to the Tab. */
export async function launch(engine, { viewport = { width: 1280, height: 900 } } = {}) {
  const tab = engine === 'webkit' ? await launchWebKit() : await launchPuppeteer(engine);
  try {
    await tab.setViewport(viewport);
  } catch (e) {
    await tab.close();
    throw e;
  }
  return tab;
}

/** Polls `fn(arg)` in the page until it is truthy (→ its value) or `timeout` ms have passed. */
async function waitFor(tab, fn, arg, { timeout = 30_000, interval = 100 } = {}) {
  const until = Date.now() + timeout;
  for (;;) {
    const value = await tab.evaluate(fn, arg).catch(() => null); // a navigation may be under way
    if (value) return value;
    if (Date.now() > until) throw new Error(`${tab.engine}: waited ${timeout} ms for ${String(fn).slice(0, 160)}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

const selector = (testid) => `[data-testid="${testid}"]`;

async function launchPuppeteer(engine) {
  const { default: puppeteer } = await import('puppeteer-core');
  const profile = mkdtempSync(join(tmpdir(), `parallax-${engine}-`));
  const browser = await puppeteer.launch({
    browser: engine === 'firefox' ? 'firefox' : 'chrome',
    executablePath: BINARIES[engine],
    headless: true,
    userDataDir: profile,
    args: engine === 'chromium' ? CHROMIUM_ARGS : [],
  });
  const close = async () => {
    try {
      await browser.close();
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  };
  const page = await browser.newPage().catch(async (e) => { await close(); throw e; });
  const errors = [];
  // A refused API request logs "Failed to load resource": an answer the tests check themselves.
  page.on('console', (m) => { if (m.type() === 'error' && !m.location()?.url?.includes('/api/')) errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  const tab = {
    engine,
    errors,
    goto: (url) => page.goto(url, { waitUntil: 'load' }).then(() => undefined),
    evaluate: (fn, arg = null) => page.evaluate(fn, arg),
    waitFor: (fn, arg, options) => waitFor(tab, fn, arg, options),
    click: (testid) => page.click(selector(testid)),
    fill: async (testid, value) => {
      await page.$eval(selector(testid), (e) => { e.value = ''; });
      await page.type(selector(testid), String(value));
    },
    screenshot: (path) => page.screenshot({ path }).then(() => undefined),
    setViewport: (v) => page.setViewport(v),
    close,
  };
  return tab;
}

async function launchWebKit() {
  const { Builder, By } = await import('selenium-webdriver');
  const port = await freePort();
  const children = [];
  // Both stopped with the tab, or with this process should it end first (a failed test run).
  const stopAll = () => { for (const c of children) if (c.exitCode === null) c.kill('SIGTERM'); };
  process.once('exit', stopAll);
  const stopDriver = () => { stopAll(); process.removeListener('exit', stopAll); };
  try {
    const display = await startXvfb(children);
    const driverProcess = spawn('WebKitWebDriver', [`--port=${port}`], { stdio: 'ignore', env: { ...process.env, DISPLAY: display } });
    children.push(driverProcess);
    const failed = new Promise((_, reject) => {
      driverProcess.once('error', (e) => reject(new Error(`WebKitWebDriver: ${e.message}`)));
      driverProcess.once('exit', (code) => reject(new Error(`WebKitWebDriver exited with ${code}`)));
    });
    failed.catch(() => {}); // awaited only while starting
    for (let i = 0; ; i++) {
      if (await Promise.race([fetch(`http://127.0.0.1:${port}/status`).then((r) => r.ok, () => false), failed])) break;
      if (i > 150) throw new Error('WebKitWebDriver did not answer within 15 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const driver = await new Builder().usingServer(`http://127.0.0.1:${port}`).withCapabilities({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: BINARIES.webkit, args: ['--automation'] },
    }).build();
    await driver.manage().setTimeouts({ script: 600_000, pageLoad: 60_000 });
    const find = (testid) => driver.findElement(By.css(selector(testid)));
    const tab = {
      engine: 'webkit',
      errors: [],
      goto: (url) => driver.get(url),
      // The function's source runs in the page, its JSON argument given; a rejection comes back
      // as an Error with the page's words, as puppeteer reports it.
      evaluate: async (fn, arg = null) => {
        const out = await driver.executeAsyncScript(`const done = arguments[arguments.length - 1];
          Promise.resolve().then(() => (${fn})(arguments[0])).then(
            (value) => done({ value: value === undefined ? null : value }),
            (e) => done({ error: (e && e.message) || JSON.stringify(e) || String(e) }));`, arg);
        if (out?.error !== undefined) throw new Error(out.error);
        return out?.value;
      },
      waitFor: (fn, arg, options) => waitFor(tab, fn, arg, options),
      click: async (testid) => (await find(testid)).click(),
      fill: async (testid, value) => {
        const e = await find(testid);
        await e.clear();
        await e.sendKeys(String(value));
      },
      screenshot: async (path) => writeFileSync(path, Buffer.from(await driver.takeScreenshot(), 'base64')),
      // WebDriver sets the window, not the viewport: MiniBrowser's window is its viewport here
      // (no toolbar in automation mode).
      setViewport: ({ width, height }) => driver.manage().window().setRect({ width, height }),
      close: async () => {
        await driver.quit().catch(() => {});
        stopDriver();
      },
    };
    return tab;
  } catch (e) {
    stopDriver();
    throw e;
  }
}

/** Starts Xvfb on the first free display (`-displayfd`: it writes the number it took); resolves
 *  to ":N". The process is pushed onto `children` at once, so a failure still stops it. */
function startXvfb(children) {
  const x = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1920x1080x24', '-nolisten', 'tcp'],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  children.push(x);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('Xvfb gave no display within 10 s')), 10_000);
    x.stdio[3].on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) { clearTimeout(timer); resolve(`:${out.trim()}`); }
    });
    x.once('error', (e) => { clearTimeout(timer); reject(new Error(`Xvfb: ${e.message}`)); });
    x.once('exit', (code) => { clearTimeout(timer); reject(new Error(`Xvfb exited with ${code}`)); });
  });
}
