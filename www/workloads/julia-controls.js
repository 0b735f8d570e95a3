// The Julia panel's navigation: the canvas's gestures (www/workloads/julia-view.js) and the Zoom
// in, Zoom out and Reset view buttons (for touch screens, screen readers and anyone who prefers
// buttons). A new region goes into the fields, the old picture is previewed where the new one
// will be, and the panel re-renders in the browser (its site's `rerun`) once the gestures
// pause. Reset view goes back to the description's default region.
import { el } from '../dom.js';
import { attachZoomPan, previewTransform, zoomCentre } from './julia-view.js';

/** Gestures closer together than this make one re-render (a held key, quick clicks): each
 *  render started would only be stopped by the next gesture. */
const SETTLE_MS = 150;

export class JuliaControls {
  /** `site`: the Julia panel's PanelSite (docs/architecture.md); the buttons go into its actions. */
  constructor(site) {
    this.site = site;
    this.shown = null; // the region of the picture on the canvas
    this.requested = null; // the region the last gesture asked for, until it is drawn
    const canvas = site.canvas;
    canvas.tabIndex = 0;
    canvas.classList.add('zoomable');
    canvas.setAttribute('aria-label', 'The Julia set in your browser: click to zoom in, Shift+click to zoom out, '
      + 'drag to pan, or +, − and the arrow keys; the Zoom buttons do the same');
    const button = (testid, text, region) => {
      const b = el('button', { type: 'button', className: 'secondary', 'data-testid': testid }, text);
      b.addEventListener('click', () => this.go(region()));
      return b;
    };
    site.actions.append(
      button('julia-zoom-in', 'Zoom in', () => zoomCentre(this.target(), 2)),
      button('julia-zoom-out', 'Zoom out', () => zoomCentre(this.target(), 0.5)),
      button('julia-reset-view', 'Reset view', () => regionOf(site.defaults)));
    attachZoomPan(canvas, site.view, {
      target: () => this.target(),
      onRegion: (r) => this.go(r),
      onPreview: (r) => this.show(r),
    });
  }

  /** What the canvas shows, which gestures build on: the region a gesture asked for while its
   *  preview stands, else the picture drawn (fields typed by hand do not move the picture). */
  target() {
    if (this.requested && this.fieldsAre(this.requested)) return this.requested;
    return this.shown ?? regionOf(this.site.values());
  }

  fieldsAre(r) {
    return sameRegion(regionOf(this.site.values()), r);
  }

  /** A browser run drew `values`' region. */
  drawn(values) {
    this.shown = regionOf(values);
    if (this.requested && sameRegion(this.requested, this.shown)) this.requested = null;
    this.preview();
  }

  /** Shows the old picture where the requested region puts it; as drawn otherwise (also when
   *  the fields were edited by hand since, or the region was refused). */
  preview() {
    this.show(this.requested && this.fieldsAre(this.requested) ? this.requested : this.shown);
  }

  show(region) {
    this.site.canvas.style.transform = this.shown && region ? previewTransform(this.shown, region) : '';
  }

  /** A run ended (the panel's hook): the picture as the fields ask for it. */
  settled() {
    this.preview();
  }

  /** Where focus goes when a run ends with focus on a disabled button. */
  get focusTarget() {
    return this.site.canvas;
  }

  /** The fields' region was refused: the picture goes back to what is drawn. */
  refused() {
    this.requested = null;
    this.preview();
  }

  go(region) {
    this.requested = { ...region };
    this.site.setValues(Object.fromEntries(Object.entries(region).map(([k, v]) => [k, String(v)])));
    this.preview();
    clearTimeout(this.settle);
    this.settle = setTimeout(() => this.site.rerun(), SETTLE_MS);
  }
}

export function regionOf(v) {
  return { x_min: Number(v.x_min), x_max: Number(v.x_max), y_min: Number(v.y_min), y_max: Number(v.y_max) };
}

function sameRegion(a, b) {
  return a.x_min === b.x_min && a.x_max === b.x_max && a.y_min === b.y_min && a.y_max === b.y_max;
}
