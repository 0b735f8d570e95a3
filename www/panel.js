// One workload's panel: its form, the Run in browser / on server / both and Cancel buttons, the
// status line with progress, the browser's picture beside the server's, and the table of runs.
// Runs go one at a time across the whole page (the `lock`), so the two sides never share the
// cores and every timing is of a machine doing one thing.
import { el } from './dom.js';
import { WORKLOADS } from './fields.js';
import { PanelForm } from './panel-form.js';
import { Results } from './results.js';
import { answerFormat, runOnServer } from './server-client.js';
import { drawPicture, drawPrimeRange, drawVerdict } from './draw.js';
import { attachZoomPan } from './julia-view.js';
import { FramePainter } from './frames.js';

const CHECK_DELAY_MS = 120;

export class Panel {
  /** `ctx`: { engine, validator, lock, threads } shared by the panels. */
  constructor(workload, ctx) {
    this.workload = workload;
    this.ctx = ctx;
    this.spec = WORKLOADS[workload];
    this.cold = { browser: true, server: true };
    this.error = null;
    this.running = null;
    this.form = new PanelForm(workload, { threads: ctx.threads, onChange: () => this.scheduleCheck() });
    this.results = new Results(workload);
    this.node = this.render();
    ctx.lock.subscribe(() => this.refreshButtons());
    this.scheduleCheck();
  }

  render() {
    const w = this.workload;
    const button = (side, label) => {
      const b = el('button', { type: 'button', 'data-testid': `run-${side}-${w}` }, label);
      b.addEventListener('click', () => this.run(side === 'both' ? ['browser', 'server'] : [side]));
      return b;
    };
    this.buttons = [button('browser', 'Run in browser'), button('server', 'Run on server'), button('both', 'Run both')];
    this.cancelButton = el('button', { type: 'button', className: 'cancel', disabled: true, 'data-testid': `cancel-${w}` }, 'Cancel');
    this.cancelButton.addEventListener('click', () => this.cancel());

    this.status = el('span', { 'data-testid': `status-${w}` }, 'Ready.');
    this.progress = el('progress', { max: 1, value: 0, hidden: true, 'data-testid': `progress-${w}`, 'aria-label': 'Progress of the run' });
    this.problem = el('p', { className: 'problem', role: 'alert', hidden: true, 'data-testid': `error-${w}` });

    this.canvas = el('canvas', { width: 300, height: 300, 'data-testid': `canvas-${w}`, 'aria-label': `${this.spec.title}: the browser's result` });
    this.browserCaption = el('figcaption', { 'data-testid': `caption-browser-${w}` }, 'In your browser');
    this.serverCaption = el('figcaption', { 'data-testid': `caption-server-${w}` }, 'On the server');
    const serverPicture = w === 'primes'
      ? (this.serverCanvas = el('canvas', { width: 300, height: 300, 'data-testid': `server-canvas-${w}`, 'aria-label': "the server's result" }))
      : (this.serverImage = el('img', { alt: "the server's PNG of the same run", 'data-testid': `server-image-${w}`, hidden: true }));
    this.serverPlaceholder = el('div', { className: 'placeholder' }, 'No server run yet');
    if (this.serverCanvas) this.serverCanvas.hidden = true;
    const pictures = el('div', { className: 'pictures' },
      el('figure', {}, this.canvas, this.browserCaption),
      el('figure', {}, this.serverPlaceholder, serverPicture, this.serverCaption));
    drawVerdict(this.canvas, 'No browser run yet', 'choose a case and press a Run button');

    const actions = el('div', { className: 'actions' }, ...this.buttons, this.cancelButton);
    if (w === 'julia') this.attachJulia(actions);
    if (w === 'diffusion') this.painter = new FramePainter(this.canvas, (f) => {
      this.browserCaption.textContent = `In your browser: step ${f.steps_done} of ${f.steps}`;
    });

    return el('section', { className: 'panel', id: w, 'data-testid': `panel-${w}`, 'aria-labelledby': `${w}-title` },
      el('h2', { id: `${w}-title` }, this.spec.title),
      el('p', { className: 'blurb' }, this.spec.blurb),
      this.form.node,
      actions,
      el('p', { className: 'status', 'aria-live': 'polite' }, this.status, this.progress),
      this.problem,
      pictures,
      this.results.wrap);
  }

  attachJulia(actions) {
    this.canvas.tabIndex = 0;
    this.canvas.classList.add('zoomable');
    this.canvas.setAttribute('aria-label', 'The Julia set in your browser: click to zoom in, Shift+click to zoom out, drag to pan, or +, − and the arrow keys');
    const reset = el('button', { type: 'button', className: 'cancel', 'data-testid': 'julia-reset-view' }, 'Reset view');
    reset.addEventListener('click', () => this.setRegion({ x_min: -1.8, x_max: 1.8, y_min: -1.8, y_max: 1.8 }));
    actions.append(reset);
    attachZoomPan(this.canvas, {
      getRegion: () => this.region ?? this.formRegion(),
      onRegion: (r) => this.setRegion(r),
    });
  }

  formRegion() {
    const v = this.form.values();
    return { x_min: Number(v.x_min), x_max: Number(v.x_max), y_min: Number(v.y_min), y_max: Number(v.y_max) };
  }

  /** A zoom or pan: the region goes into the fields and the browser re-runs (cancelling a
   *  zoom still running, so quick clicks do not queue up). */
  async setRegion(region) {
    const text = Object.fromEntries(Object.entries(region).map(([k, v]) => [k, String(v)]));
    this.form.setValues(text);
    if (this.running) {
      this.pendingZoom = true;
      this.cancel();
      return;
    }
    if (!this.ctx.lock.busy) await this.run(['browser']);
    else this.canvas.style.transform = '';
  }

  scheduleCheck() {
    clearTimeout(this.checkTimer);
    this.checkTimer = setTimeout(() => this.check(), CHECK_DELAY_MS);
  }

  /** Asks the kernels' validation about the current inputs; shows and returns its verdict. */
  async check() {
    clearTimeout(this.checkTimer);
    const request = this.form.request();
    const error = await this.ctx.validator.check(this.workload, request, this.ctx.threads);
    if (request === this.form.request()) {
      this.error = error;
      this.form.showError(error);
      this.refreshButtons();
    }
    return error;
  }

  refreshButtons() {
    const busy = this.ctx.lock.busy;
    for (const b of this.buttons) b.disabled = busy || this.error !== null;
    this.cancelButton.disabled = !this.running;
  }

  /** Runs the current inputs on `sides` in order, never two at once. */
  async run(sides) {
    if (await this.check()) return; // nothing runs on bad input: the message is shown
    const release = this.ctx.lock.acquire(this);
    if (!release) return;
    const request = this.form.request();
    const row = { label: this.label(), key: request };
    this.running = { abort: new AbortController(), cancelled: false };
    this.problem.hidden = true;
    this.refreshButtons();
    try {
      for (const side of sides) {
        if (this.running.cancelled) break;
        try {
          row[side] = side === 'browser' ? await this.runBrowser(request) : await this.runServer(request);
          row[side].cold = this.cold[side];
          this.cold[side] = false;
        } catch (e) {
          this.report(side, e);
          if (this.running.cancelled) break;
        }
      }
      if (row.browser || row.server) {
        this.results.add(row);
        if (!this.problem.textContent || this.problem.hidden) this.status.textContent = this.summary(row);
      }
    } finally {
      this.running = null;
      this.progress.hidden = true;
      release();
      this.refreshButtons();
      if (this.pendingZoom) {
        this.pendingZoom = false;
        this.run(['browser']);
      }
    }
  }

  cancel() {
    if (!this.running) return;
    this.running.cancelled = true;
    this.running.abort.abort();
    this.ctx.engine.cancel();
  }

  report(side, e) {
    const where = side === 'browser' ? 'In the browser' : 'On the server';
    const text = e?.message === 'cancelled' ? `${where}: cancelled.` : `${where}: ${e?.message ?? String(e)}`;
    if (side === 'server' && e?.field) this.form.showError(e);
    this.problem.textContent = text;
    this.problem.hidden = false;
    this.status.textContent = text;
  }

  label() {
    const v = this.form.values(), x = this.form.exec();
    const how = `${x.variant}${x.lanes ? ` ×${x.lanes}` : ''}, ${x.threads} thr.`;
    if (this.workload === 'julia') return `${v.width}×${v.height}, ${v.max_iter} it., ${how}`;
    if (this.workload === 'diffusion') return `${v.width}×${v.height}, ${v.steps} steps, ${how}`;
    const what = { check: `check ${v.n}`, miller_rabin: `M–R ${v.n}`, range: `[${v.start}, ${v.end})`, count: `π(${v.limit})` }[v.task];
    return `${what}, ${how}`;
  }

  summary(row) {
    const parts = [];
    if (row.browser) parts.push(`browser ${row.browser.kernel_ms.toFixed(1)} ms`);
    if (row.server) parts.push(`server ${row.server.kernel_ms.toFixed(1)} ms (round trip ${row.server.round_trip_ms.toFixed(0)} ms)`);
    return `Done: ${parts.join(', ')}.`;
  }

  async runBrowser(request) {
    const started = performance.now();
    this.progress.removeAttribute('value'); // indeterminate until the kernel reports progress
    this.progress.hidden = false;
    const ticker = this.tick(() => {
      const p = this.ctx.engine.progress();
      const s = ((performance.now() - started) / 1000).toFixed(1);
      if (p && p.total > 0 && !this.animating) this.setProgress(p.done / p.total);
      this.status.textContent = `Running in your browser… ${s} s`;
    });
    try {
      if (this.workload === 'diffusion' && this.form.animate) return await this.animateDiffusion(request);
      const out = await this.ctx.engine.run({ type: 'run', workload: this.workload, request, map: this.spec.maps ? this.form.map : null });
      this.showBrowser(out);
      return { checksum: out.checksum, kernel_ms: out.kernel_ms };
    } finally {
      ticker.stop();
    }
  }

  async animateDiffusion(request) {
    this.animating = true;
    this.painter.reset();
    try {
      const out = await this.ctx.engine.run({ type: 'animate', request, map: this.form.map }, (frame) => {
        this.setProgress(frame.steps_done / Math.max(1, frame.steps));
        this.painter.push(frame, this.dims());
      });
      return { checksum: out.checksum, kernel_ms: out.kernel_ms, note: `${out.chunks} chunks, drawn between chunks` };
    } finally {
      this.animating = false;
    }
  }

  dims() {
    const v = this.form.values();
    return { width: Number(v.width), height: Number(v.height) };
  }

  showBrowser(out) {
    if (this.workload === 'primes') {
      this.browserCaption.textContent = `In your browser: ${this.drawPrimes(this.canvas, out.summary, out.buffer && new BigUint64Array(out.buffer))}`;
      return;
    }
    const { width, height } = this.dims();
    this.canvas.style.transform = '';
    drawPicture(this.canvas, out.picture, width, height);
    if (this.workload === 'julia') {
      this.region = this.formRegion();
      this.browserCaption.textContent = `In your browser: x ∈ [${fmt(this.region.x_min)}, ${fmt(this.region.x_max)}), y ∈ (${fmt(this.region.y_min)}, ${fmt(this.region.y_max)}]`;
    } else {
      this.browserCaption.textContent = `In your browser: all ${this.form.values().steps} steps`;
    }
  }

  /** Draws a primes result (range: the primes; else a verdict) and returns its caption. */
  drawPrimes(canvas, summary, primes) {
    const v = this.form.values();
    if (v.task === 'range' && primes) return drawPrimeRange(canvas, primes, BigInt(v.start), BigInt(v.end));
    if (v.task === 'count') {
      const x = Number(v.limit), estimate = x > 1 ? x / Math.log(x) : 0;
      const count = Number(summary.count);
      return drawVerdict(canvas, `π(${Number(v.limit).toLocaleString('en')}) = ${count.toLocaleString('en')}`,
        estimate ? `x / ln x ≈ ${Math.round(estimate).toLocaleString('en')} (${(100 * (estimate - count) / Math.max(count, 1)).toFixed(1)} %)` : '');
    }
    if (summary.is_prime) return drawVerdict(canvas, 'prime', `${v.n} has no factor but 1 and itself`);
    return drawVerdict(canvas, 'composite', summary.factor ? `smallest factor ${summary.factor}` : `${v.n} is not prime`);
  }

  async runServer(request) {
    const v = this.form.values();
    const format = answerFormat(this.workload, v.task);
    const started = performance.now();
    const ticker = this.tick(() => {
      this.status.textContent = `Running on the server… ${((performance.now() - started) / 1000).toFixed(1)} s`;
    });
    this.progress.removeAttribute('value'); // the server reports no progress: indeterminate
    this.progress.hidden = false;
    try {
      const out = await runOnServer(this.workload, request, { format, map: this.form.map, signal: this.running.abort.signal });
      this.serverPlaceholder.hidden = true;
      if (out.image) {
        if (this.serverImage.src) URL.revokeObjectURL(this.serverImage.src);
        this.serverImage.src = URL.createObjectURL(out.image);
        this.serverImage.hidden = false;
        this.serverCaption.textContent = `On the server: its PNG (${(out.image.size / 1024).toFixed(0)} KiB)`;
      } else {
        const summary = out.summary ?? {};
        this.serverCanvas.hidden = false;
        this.serverCaption.textContent = `On the server: ${this.drawPrimes(this.serverCanvas, summary, out.primes)}`;
      }
      return out;
    } finally {
      ticker.stop();
    }
  }

  setProgress(fraction) {
    this.progress.hidden = false;
    this.progress.value = Math.min(1, Math.max(0, fraction));
  }

  /** Calls `fn` every 100 ms until stopped (the status line's clock). */
  tick(fn) {
    fn();
    const timer = setInterval(fn, 100);
    return { stop: () => clearInterval(timer) };
  }
}

function fmt(v) {
  return Number(v.toPrecision(6)).toString();
}
