// A panel's two pictures side by side: the browser's canvas and the server's result. A workload
// whose description has a picture (`formats.png`) shows the kernels' own pixels on both sides:
// the worker's RGBA on the canvas, the server's PNG beside it. One without (primes) draws both
// sides from the result itself, with its page module's `draw`. Each is drawn from the `job` the
// run started with (a snapshot of the form), so editing a field during a run cannot mislabel or
// misdraw its result.
import { el } from '../dom.js';
import { drawPicture, drawVerdict, sharpIfEnlarged } from './draw.js';

export class Pictures {
  /** `description`: the workload's; `parts`: its page module (www/workloads/<name>.js). The
   *  canvas sits in `this.view`, the box that clips a zoom's preview. */
  constructor(description, parts) {
    const w = description.name, title = description.title;
    this.parts = parts;
    this.png = Boolean(description.formats.png);
    this.canvas = el('canvas', { width: 300, height: 300, role: 'img', 'data-testid': `canvas-${w}`, 'aria-label': `${title}: the browser's result` });
    this.browserCaption = el('figcaption', { 'data-testid': `caption-browser-${w}` }, 'In your browser');
    this.serverCaption = el('figcaption', { 'data-testid': `caption-server-${w}` }, 'On the server');
    const server = this.png
      ? (this.serverImage = el('img', { alt: `${title}: the server's PNG of the same run`, 'data-testid': `server-image-${w}`, hidden: true }))
      : (this.serverCanvas = el('canvas', { width: 300, height: 300, role: 'img', hidden: true, 'data-testid': `server-canvas-${w}`, 'aria-label': "the server's result" }));
    this.serverPlaceholder = el('div', { className: 'placeholder' }, 'No server run yet');
    this.figures = {
      // The view clips the canvas when a zoom previews the old picture moved and scaled.
      browser: el('figure', {}, this.view = el('div', { className: 'view' }, this.canvas), this.browserCaption),
      server: el('figure', {}, this.serverPlaceholder, server, this.serverCaption),
    };
    this.node = el('div', { className: 'pictures' }, this.figures.browser, this.figures.server);
    this.shown = { browser: null, server: null }; // the request each side's picture is of
    drawVerdict(this.canvas, 'No browser run yet', 'choose a case and press a Run button');
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

  /** A browser result: `out` from the engine (the answer, picture?, buffer?). */
  showBrowser(job, out) {
    this.showing('browser', job);
    let caption;
    if (this.png) {
      const p = out.picture;
      if (p) drawPicture(this.canvas, p.rgba, p.width, p.height);
      caption = this.parts.caption?.('browser', job, out);
    } else {
      caption = this.parts.draw(this.canvas, 'browser', job, out);
    }
    this.browserCaption.textContent = `In your browser${caption ? `: ${caption}` : ''}`;
  }

  /** A server result from www/server-client.js: { checksum, image }, the answer, or
   *  { checksum, buffer }. */
  showServer(job, out) {
    this.showing('server', job);
    this.serverPlaceholder.hidden = true;
    if (out.image) {
      if (this.serverImage.src) URL.revokeObjectURL(this.serverImage.src);
      this.serverImage.onload = () => sharpIfEnlarged(this.serverImage, this.serverImage.naturalWidth);
      this.serverImage.src = URL.createObjectURL(out.image);
      this.serverImage.hidden = false;
      const png = `its PNG (${(out.image.size / 1024).toFixed(0)} KiB)`;
      const caption = this.parts.caption?.('server', job, out);
      this.serverCaption.textContent = `On the server: ${caption ? `${caption}; ${png}` : png}`;
    } else {
      this.serverCanvas.hidden = false;
      this.serverCaption.textContent = `On the server: ${this.parts.draw(this.serverCanvas, 'server', job, out)}`;
    }
  }
}
