// One workload's panel: its form, the Run in browser / on server / both and Cancel buttons, the
// status line with progress, the two pictures, and the table of runs. Runs go one at a time
// across the whole page (the `lock`), so the two sides never share the cores and every timing
// is of a machine doing one thing. A run works from a snapshot of the form taken when it
// starts (its `job`), so fields edited meanwhile only affect the next run.
//
// Nothing here knows a workload by name: the fields, presets and formats come from the kernels'
// description, and what only one workload does comes from its page module,
// www/workloads/<name>.js. What such a module may export, what it is given (`setup(site)`: the
// `PanelSite` below, never the Panel) and what it may hand back is the page-module interface of
// docs/architecture.md.
import { el } from '../dom.js';
import { requestJson, visibleFields } from './fields.js';
import { PanelForm } from './form.js';
import { Pictures } from './pictures.js';
import { Results } from './runs.js';
import { runOnServer, serverQueue } from '../server-client.js';

const CHECK_DELAY_MS = 120;

export class Panel {
  /** `description`: the workload's, from the kernels; `parts`: its page module; `ctx`:
   *  { engine, validator, lock, threads, laneChoices, serverThreads, conditions: { build,
   *  isolation } } shared by the panels; `hooks`: what the page is told, given here once —
   *  `record(row)` after every run with a result (the comparison's rows), `changed(workload)`
   *  after every edit of the form (the page's link). */
  constructor(description, parts, ctx, hooks = {}) {
    const workload = description.name;
    this.workload = workload;
    this.description = description;
    this.parts = parts;
    this.ctx = ctx;
    this.hooks = hooks;
    this.cold = { browser: true, server: true };
    this.generation = null; // the engine's worker the last browser run used
    this.error = null;
    this.running = null;
    this.form = new PanelForm(description, {
      threads: ctx.threads, laneChoices: ctx.laneChoices, animate: parts.animate,
      // Every edit is checked, and the page's link follows it (hooks.changed: www/links.js).
      onChange: () => { this.scheduleCheck(); this.hooks.changed?.(workload); },
    });
    this.pictures = new Pictures(description, parts);
    this.canvas = this.pictures.canvas;
    this.results = new Results(workload, description.title);
    this.node = this.render();
    ctx.lock.subscribe(() => {
      this.refreshButtons();
      // A zoom asked for while another panel ran starts as soon as the page is free.
      if (this.pendingRerun && !ctx.lock.busy && !this.running) this.run(['browser']);
    });
    this.scheduleCheck();
  }

  render() {
    const w = this.workload;
    const button = (side, label) => {
      const b = el('button', { type: 'button', 'data-testid': `run-${side}-${w}` }, label);
      b.addEventListener('click', () => this.run(side === 'both' ? ['browser', 'server'] : [side], b));
      return b;
    };
    this.buttons = [button('browser', 'Run in browser'), button('server', 'Run on server'), button('both', 'Run both')];
    this.cancelButton = el('button', { type: 'button', className: 'cancel', disabled: true, 'data-testid': `cancel-${w}` }, 'Cancel');
    this.cancelButton.addEventListener('click', () => this.cancel());

    // The status (announced) apart from the clock (not announced: it changes ten times a second).
    this.status = el('span', { 'data-testid': `status-${w}`, 'aria-live': 'polite' }, 'Ready.');
    this.clock = el('span', { className: 'clock', 'data-testid': `clock-${w}` });
    this.progress = el('progress', { max: 1, value: 0, hidden: true, 'data-testid': `progress-${w}`, 'aria-label': 'Progress of the run' });
    this.problem = el('p', { className: 'problem', role: 'alert', hidden: true, 'data-testid': `error-${w}` });

    const actions = el('div', { className: 'actions' }, ...this.buttons, this.cancelButton);
    this.extra = this.parts.setup?.(this.site(actions)) ?? {};
    // Why the Run buttons are disabled, when they are (a disabled button says nothing itself).
    this.why = el('p', { className: 'why', 'data-testid': `why-${w}` });

    const section = el('section', { className: 'panel', id: w, 'data-testid': `panel-${w}`, 'aria-labelledby': `${w}-title` },
      this.heading = el('h2', { id: `${w}-title`, tabIndex: -1 }, this.description.title),
      el('p', { className: 'blurb' }, [this.description.about, this.parts.blurb].filter(Boolean).join(' ')),
      this.form.node,
      actions,
      this.why,
      el('p', { className: 'status' }, this.status, this.clock, this.progress),
      this.problem,
      this.pictures.node,
      this.results.wrap);
    // Escape anywhere in the panel cancels its run, like the Cancel button.
    section.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && (this.running || this.pendingRerun)) this.cancel();
    });
    return section;
  }

  /** All a page module's `setup` is given of its panel (docs/architecture.md, "The page-module
   *  interface"): the browser's canvas and the box around it, the row of actions to add
   *  buttons to, the form's values (read, and set as a whole), a re-render in the browser, and
   *  the browser picture's caption. Frozen: the module cannot reach further into the panel. */
  site(actions) {
    const { form, pictures } = this;
    return Object.freeze({
      workload: this.workload,
      canvas: pictures.canvas,
      view: pictures.view,
      actions,
      defaults: Object.freeze({ ...form.defaults }),
      values: () => form.values(),
      setValues: (values) => form.setValues(values),
      rerun: () => this.rerun(),
      caption: (text) => { pictures.browserCaption.textContent = text; },
    });
  }

  /** Re-renders in the browser for the fields' new values (a zoom or pan). A run of this panel
   *  under way is stopped and followed; while another panel runs, it waits for the page to be
   *  free (the lock's subscriber starts it), so quick gestures never queue up. */
  rerun() {
    this.pendingRerun = true;
    if (this.running) {
      this.stop();
    } else if (this.ctx.lock.busy) {
      this.setStatus('The new view waits for the run going on in another panel…');
    } else {
      this.run(['browser']);
    }
  }

  scheduleCheck() {
    clearTimeout(this.checkTimer);
    this.checkTimer = setTimeout(() => this.check(), CHECK_DELAY_MS);
  }

  /** Asks the kernels' validation about the current inputs; shows and returns its verdict
   *  (a verdict on inputs changed meanwhile is dropped: the newer check decides). */
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
    const why = this.error !== null ? 'Correct the field marked in red to run.'
      : busy && !this.running ? `${this.ctx.lock.owner === 'compare' ? 'The comparison is running' : 'Another panel is running'}: runs go one at a time, so timings are of a machine doing one thing.`
        : '';
    if (this.why.textContent !== why) this.why.textContent = why;
  }

  /** Sets the announced status, only when its words change (a screen reader re-reads it). */
  setStatus(text) {
    if (this.status.textContent !== text) this.status.textContent = text;
  }

  /** The form as a run starts: what it sends and everything its results are drawn with. */
  snapshot() {
    const values = this.form.values(), exec = this.form.exec();
    // The server refuses more threads than its pool has; a visitor with more cores than the
    // server gets the server's all (the table's label says so).
    const serverThreads = Math.min(exec.threads, this.ctx.serverThreads ?? exec.threads);
    return {
      values, exec, map: this.form.map, animate: this.form.animate,
      dims: { width: Number(values.width), height: Number(values.height) },
      request: this.form.request(),
      // What a picture depends on (not threads, variant or lanes: they change only the time).
      pictureKey: JSON.stringify([visibleFields(this.description, values.task).map((f) => values[f.name]), values.task, this.form.map]),
      serverRequest: requestJson(this.description, values, { ...exec, threads: serverThreads }),
      serverThreads,
    };
  }

  /** Runs the current inputs on `sides` in order, never two at once; `button` started it. */
  async run(sides, button = null) {
    const release = this.ctx.lock.acquire(this);
    if (!release) return;
    if (sides.includes('browser')) this.pendingRerun = false; // this run draws the fields' values
    this.running = { abort: new AbortController(), cancelled: false, problems: [] };
    this.problem.hidden = true; // at once: the last run's error does not describe this one
    this.refreshButtons();
    if (button && document.activeElement === button) this.cancelButton.focus();
    try {
      if (await this.check()) { // nothing runs on bad input: the message is shown
        this.setStatus('Not run: correct the field marked in red.');
        this.extra.refused?.();
        return;
      }
      const job = this.snapshot();
      const row = { label: this.label(job), key: job.request };
      for (const side of sides) {
        if (this.running.cancelled) break;
        try {
          row[side] = side === 'browser' ? await this.runBrowser(job) : await this.runServer(job);
        } catch (e) {
          this.report(side, e);
        }
      }
      if (row.browser || row.server) {
        this.results.add(row);
        this.hooks.record?.({ workload: this.workload, request: job.request, server_request: job.serverRequest, label: row.label, browser: row.browser, server: row.server });
      }
      const problems = this.running.problems.length;
      if (this.running.cancelled && this.pendingRerun) this.setStatus('Following the new view…');
      else if (this.running.cancelled) this.setStatus('Cancelled.');
      else if (problems && (row.browser || row.server)) this.setStatus(`${summary(row)} With a problem: see below.`);
      else if (problems) this.setStatus('Failed: see below.');
      else this.setStatus(summary(row));
    } finally {
      this.running = null;
      this.progress.hidden = true;
      this.clock.textContent = '';
      if (this.extra.settled) this.extra.settled();
      else this.canvas.style.transform = '';
      release(); // may start a waiting re-render, of this panel or another
      this.refreshButtons();
      // Focus never falls to the page from a Cancel button that was just disabled.
      if (document.activeElement === this.cancelButton && this.cancelButton.disabled) {
        const next = [button, ...this.buttons].find((b) => b && !b.disabled) ?? this.extra.focusTarget ?? this.heading;
        next.focus();
      }
    }
  }

  /** The first look at a panel: its quick preset (a small case of the book's) run in the
   *  browser behind the run lock and drawn where the browser's picture goes, said in the
   *  caption. It is no run of the panel's case: not in the table, not in any comparison, and
   *  it is skipped when the page is busy or the visitor has run something already. */
  async firstPicture() {
    const preset = this.description.presets.find((p) => p.quick && (p.values.task ?? null) === (this.form.values().task ?? null))
      ?? this.description.presets.find((p) => p.quick);
    if (!preset || this.pictures.shown.browser !== null) return;
    const release = this.ctx.lock.acquire(this);
    if (!release) return;
    try {
      const values = { ...this.form.defaults, ...Object.fromEntries(Object.entries(preset.values).map(([k, v]) => [k, String(v)])) };
      const exec = { variant: 'simd', threads: this.ctx.threads };
      const request = requestJson(this.description, values, exec);
      const job = { values, exec, map: this.form.map, animate: false, dims: { width: Number(values.width), height: Number(values.height) }, request, pictureKey: 'first look' };
      const out = await this.ctx.engine.run({
        type: 'run', workload: this.workload, request, picture: Boolean(this.description.formats.png), map: job.map,
        buffer: this.parts.browserBuffer?.(values) ?? false,
      });
      if (this.pictures.shown.browser !== null) return; // a run of the visitor's came first
      this.pictures.showBrowser(job, out);
      this.pictures.shown.browser = null; // the next run's picture is not "stale" against this one
      this.pictures.browserCaption.textContent = `First look, in your browser: ${preset.label} (a small case, not timed in any comparison). Press a Run button for the case above.`;
      this.node.dataset.firstPicture = 'true';
    } finally {
      release();
    }
  }

  /** Cancel, by the button or Escape: stops the run and forgets a waiting re-render. */
  cancel() {
    if (this.pendingRerun && !this.running) this.setStatus('Cancelled.');
    this.pendingRerun = false;
    this.stop();
  }

  /** Stops this panel's run: the browser's kernel by the cancel flag (or a new worker), the
   *  server's by aborting the request. */
  stop() {
    if (!this.running) return;
    this.running.cancelled = true;
    this.running.abort.abort();
    this.ctx.engine.cancel();
  }

  /** A side's failure, in words, under the status; a cancel for a new view says nothing. */
  report(side, e) {
    const cancelled = e?.kind === 'cancelled' || this.running.cancelled;
    if (cancelled && this.pendingRerun) return;
    const where = side === 'browser' ? 'In the browser' : 'On the server';
    if (side === 'server' && e?.field) this.form.showError(e);
    this.running.problems.push(cancelled ? `${where}: cancelled.` : `${where}: ${e?.message ?? String(e)}`);
    this.problem.replaceChildren(...this.running.problems.map((text) => el('span', { className: 'line' }, text)));
    this.problem.hidden = false;
  }

  async runBrowser(job) {
    const engine = this.ctx.engine;
    const ticker = this.tick('Running in your browser…', () => {
      const p = engine.progress();
      if (p && p.total > 0 && !this.animating) this.setProgress(p.done / p.total);
    });
    try {
      await engine.ready;
      // A Cancel while a restarted worker was starting reached no kernel: honour it here.
      if (this.running.cancelled) throw { field: null, message: 'cancelled', kind: 'cancelled' };
      // A run on a new worker (the first, or after a restart) pays for compiling and warming up.
      const cold = this.generation !== engine.generation;
      this.generation = engine.generation;
      let out;
      if (this.parts.animate && job.animate) {
        out = await this.animate(job);
      } else {
        out = await engine.run({
          type: 'run', workload: this.workload, request: job.request,
          picture: Boolean(this.description.formats.png), map: job.map,
          buffer: this.parts.browserBuffer?.(job.values) ?? false,
        });
        this.pictures.showBrowser(job, out);
        this.extra.drawn?.(job.values);
      }
      return { checksum: out.checksum, kernel_ms: out.kernel_ms, chunks: out.chunks, cold, conditions: this.ctx.conditions };
    } finally {
      ticker.stop();
    }
  }

  /** A run drawn as it steps (diffusion): frames from the worker, painted as they come. */
  async animate(job) {
    this.animating = true;
    const painter = this.extra.painter;
    painter.reset();
    this.pictures.showing('browser', job);
    try {
      return await this.ctx.engine.run({ type: 'animate', request: job.request, map: job.map }, (frame) => {
        this.setProgress(frame.steps_done / Math.max(1, frame.steps));
        painter.push(frame, job.dims);
      });
    } finally {
      this.animating = false;
    }
  }

  async runServer(job) {
    // The busy state: every half second the server's pool is asked how full it is, so a run
    // that waits behind others says so instead of looking slow.
    let polls = 0;
    const ticker = this.tick('Running on the server…', () => {
      if (++polls % 5 !== 0) return;
      serverQueue(this.running?.abort.signal).then((q) => {
        if (!q || !this.running || !ticker.live) return;
        const others = q.running + q.waiting - 1;
        this.setStatus(others > 0
          ? `On the server, which is busy: ${q.running} running, ${q.waiting} waiting (this run among them)…`
          : 'Running on the server…');
      });
    });
    try {
      const format = this.parts.serverFormat?.(job.values) ?? (this.description.formats.png ? 'png' : 'json');
      const out = await runOnServer(this.workload, job.serverRequest, { format, map: job.map, signal: this.running.abort.signal });
      this.pictures.showServer(job, out);
      const cold = this.cold.server;
      this.cold.server = false;
      // Only the figures: pictures and prime lists are not kept in the table's rows.
      const { checksum, kernel_ms, queue_ms, round_trip_ms, instance } = out;
      return { checksum, kernel_ms, queue_ms, round_trip_ms, instance, cold, threads: job.serverThreads };
    } finally {
      ticker.stop();
    }
  }

  /** The table's words for a run: its case, variant, lanes (simd) and threads. */
  label(job) {
    const x = job.exec;
    const threads = job.serverThreads === x.threads ? `${x.threads} thr.` : `${x.threads} thr. (server ${job.serverThreads})`;
    const how = `${x.variant}${x.variant === 'simd' && x.lanes ? ` ×${x.lanes}` : ''}, ${threads}`;
    const what = this.parts.label?.(job.values, job);
    return what ? `${what}, ${how}` : how;
  }

  setProgress(fraction) {
    this.progress.hidden = false;
    this.progress.value = Math.min(1, Math.max(0, fraction));
  }

  /** Shows `status`, an indeterminate progress bar and a clock; `fn` runs every 100 ms. */
  tick(status, fn) {
    this.setStatus(status);
    this.progress.removeAttribute('value'); // indeterminate until a kernel reports progress
    this.progress.hidden = false;
    const started = performance.now();
    const step = () => {
      this.clock.textContent = `${((performance.now() - started) / 1000).toFixed(1)} s`;
      fn();
    };
    step();
    const timer = setInterval(step, 100);
    const ticker = { live: true, stop: () => { ticker.live = false; clearInterval(timer); } };
    return ticker;
  }
}


function summary(row) {
  // A time can be missing (a proxy that drops Server-Timing): then it says so, not NaN.
  const t = (ms, digits) => (Number.isFinite(ms) ? `${ms.toFixed(digits)} ms` : 'time unknown');
  const parts = [];
  if (row.browser) parts.push(`browser ${t(row.browser.kernel_ms, 1)}`);
  if (row.server) parts.push(`server ${t(row.server.kernel_ms, 1)} (round trip ${t(row.server.round_trip_ms, 0)})`);
  return `Done: ${parts.join(', ')}.`;
}
