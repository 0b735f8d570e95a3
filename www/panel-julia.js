// The Julia panel's navigation: the canvas's gestures (www/julia-view.js) and the Zoom in, Zoom
// out and Reset view buttons (for touch screens, screen readers and anyone who prefers buttons).
// A new region goes into the fields, the old picture is previewed where the new one will be,
// and the panel re-renders in the browser (www/panel.js `rerun`).
import { el } from './dom.js';
import { attachZoomPan, previewTransform, zoomCentre, HOME } from './julia-view.js';

export class JuliaControls {
  /** `panel`: the Julia Panel; the buttons are appended to `actions`. */
  constructor(panel, actions) {
    this.panel = panel;
    this.shown = null; // the region of the picture on the canvas
    const canvas = panel.canvas;
    canvas.tabIndex = 0;
    canvas.classList.add('zoomable');
    canvas.setAttribute('aria-label', 'The Julia set in your browser: click to zoom in, Shift+click to zoom out, '
      + 'drag to pan, or +, − and the arrow keys; the Zoom buttons do the same');
    const button = (testid, text, region) => {
      const b = el('button', { type: 'button', className: 'secondary', 'data-testid': testid }, text);
      b.addEventListener('click', () => this.go(region()));
      return b;
    };
    actions.append(
      button('julia-zoom-in', 'Zoom in', () => zoomCentre(this.target(), 2)),
      button('julia-zoom-out', 'Zoom out', () => zoomCentre(this.target(), 0.5)),
      button('julia-reset-view', 'Reset view', () => ({ ...HOME })));
    attachZoomPan(canvas, {
      target: () => this.target(),
      onRegion: (r) => this.go(r),
      onPreview: (r) => { canvas.style.transform = this.shown ? previewTransform(this.shown, r) : ''; },
    });
  }

  /** The region the fields ask for (gestures build on it), or the one shown if they do not
   *  hold one. */
  target() {
    const r = regionOf(this.panel.form.values());
    const ok = Object.values(r).every(Number.isFinite) && r.x_max > r.x_min && r.y_max > r.y_min;
    return ok ? r : (this.shown ?? { ...HOME });
  }

  /** A browser run drew `values`' region. */
  drawn(values) {
    this.shown = regionOf(values);
    this.preview();
  }

  /** Shows the old picture where the fields' region will put it (nothing when they agree). */
  preview() {
    this.panel.canvas.style.transform = this.shown ? previewTransform(this.shown, this.target()) : '';
  }

  go(region) {
    this.panel.form.setValues(Object.fromEntries(Object.entries(region).map(([k, v]) => [k, String(v)])));
    this.preview();
    this.panel.rerun();
  }
}

export function regionOf(v) {
  return { x_min: Number(v.x_min), x_max: Number(v.x_max), y_min: Number(v.y_min), y_max: Number(v.y_max) };
}
