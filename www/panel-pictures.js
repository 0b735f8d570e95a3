// A panel's two pictures side by side: the browser's canvas and the server's result (its PNG for
// Julia and diffusion, its primes drawn on a canvas). Each is drawn from the `job` the run
// started with (a snapshot of the form), so editing a field during a run cannot mislabel or
// misdraw its result.
import { el } from './dom.js';
import { drawPicture, drawPrimeRange, drawVerdict, sharpIfEnlarged } from './draw.js';
import { FramePainter } from './frames.js';

export class Pictures {
  constructor(workload, title) {
    const w = workload;
    this.workload = w;
    this.canvas = el('canvas', { width: 300, height: 300, role: 'img', 'data-testid': `canvas-${w}`, 'aria-label': `${title}: the browser's result` });
    this.browserCaption = el('figcaption', { 'data-testid': `caption-browser-${w}` }, 'In your browser');
    this.serverCaption = el('figcaption', { 'data-testid': `caption-server-${w}` }, 'On the server');
    const server = w === 'primes'
      ? (this.serverCanvas = el('canvas', { width: 300, height: 300, role: 'img', hidden: true, 'data-testid': `server-canvas-${w}`, 'aria-label': "the server's result" }))
      : (this.serverImage = el('img', { alt: `${title}: the server's PNG of the same run`, 'data-testid': `server-image-${w}`, hidden: true }));
    this.serverPlaceholder = el('div', { className: 'placeholder' }, 'No server run yet');
    this.figures = {
      // The view clips the canvas when a zoom previews the old picture moved and scaled.
      browser: el('figure', {}, this.view = el('div', { className: 'view' }, this.canvas), this.browserCaption),
      server: el('figure', {}, this.serverPlaceholder, server, this.serverCaption),
    };
    this.node = el('div', { className: 'pictures' }, this.figures.browser, this.figures.server);
    this.shown = { browser: null, server: null }; // the request each side's picture is of
    drawVerdict(this.canvas, 'No browser run yet', 'choose a case and press a Run button');
    if (w === 'diffusion') {
      this.painter = new FramePainter(this.canvas, (f) => {
        this.browserCaption.textContent = `In your browser: step ${f.steps_done} of ${f.steps}`;
      });
    }
  }

  /** Records which request `side` now shows; a picture of another request than the newest is
   *  dimmed and says so, so two different runs are never read as one comparison. */
  showing(side, job) {
    this.shown[side] = job.pictureKey;
    for (const s of ['browser', 'server']) {
      const stale = this.shown[s] !== null && this.shown[s] !== job.pictureKey;
      this.figures[s].classList.toggle('stale', stale);
      this.figures[s].dataset.stale = String(stale);
    }
  }

  /** A browser result: `out` from the engine ({ picture, buffer, summary }). */
  showBrowser(job, out) {
    this.showing('browser', job);
    const c = this.browserCaption;
    if (this.workload === 'primes') {
      c.textContent = `In your browser: ${drawPrimes(this.canvas, job, out.summary, out.buffer && new BigUint64Array(out.buffer))}`;
      return;
    }
    drawPicture(this.canvas, out.picture, job.dims.width, job.dims.height);
    const v = job.values;
    c.textContent = this.workload === 'julia'
      ? `In your browser: x ∈ [${fmt(v.x_min)}, ${fmt(v.x_max)}), y ∈ (${fmt(v.y_min)}, ${fmt(v.y_max)}]`
      : `In your browser: all ${v.steps} steps`;
  }

  /** A server result from www/server-client.js: { image } or { primes } or { summary }. */
  showServer(job, out) {
    this.showing('server', job);
    this.serverPlaceholder.hidden = true;
    if (out.image) {
      if (this.serverImage.src) URL.revokeObjectURL(this.serverImage.src);
      this.serverImage.onload = () => sharpIfEnlarged(this.serverImage, this.serverImage.naturalWidth);
      this.serverImage.src = URL.createObjectURL(out.image);
      this.serverImage.hidden = false;
      this.serverCaption.textContent = `On the server: its PNG (${(out.image.size / 1024).toFixed(0)} KiB)`;
    } else {
      this.serverCanvas.hidden = false;
      this.serverCaption.textContent = `On the server: ${drawPrimes(this.serverCanvas, job, out.summary ?? {}, out.primes)}`;
    }
  }
}

/** Draws a primes result (a range: its primes; else a verdict) and returns its caption. */
function drawPrimes(canvas, job, summary, primes) {
  const v = job.values;
  if (v.task === 'range' && primes) return drawPrimeRange(canvas, primes, BigInt(v.start), BigInt(v.end));
  if (v.task === 'count') {
    const x = Number(v.limit), estimate = x > 1 ? x / Math.log(x) : 0;
    const count = Number(summary.count);
    return drawVerdict(canvas, `π(${x.toLocaleString('en')}) = ${count.toLocaleString('en')}`,
      estimate ? `x / ln x ≈ ${Math.round(estimate).toLocaleString('en')} (${(100 * (estimate - count) / Math.max(count, 1)).toFixed(1)} %)` : '');
  }
  if (summary.is_prime) return drawVerdict(canvas, 'prime', `${v.n} has no factor but 1 and itself`);
  if (!summary.factor && BigInt(v.n) < 2n) return drawVerdict(canvas, 'neither', `${v.n} is neither prime nor composite`);
  return drawVerdict(canvas, 'composite', summary.factor ? `smallest factor ${summary.factor}` : `${v.n} is not prime`);
}

function fmt(text) {
  return Number(Number(text).toPrecision(6)).toString();
}
