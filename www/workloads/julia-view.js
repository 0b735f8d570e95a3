// Zoom and pan on the Julia canvas. The picture is a region of the complex plane (x_min..x_max
// left to right, y_max..y_min top to bottom: docs/workloads.md §1); every gesture turns into a new
// region, written into the fields, and the browser re-runs the kernel for it.
//
// Gestures build on the region the fields ask for (not on the picture last drawn), so three
// quick presses of + zoom three times even while a render is under way; until the new picture
// lands, the old one is shown scaled and moved to where the new region will be (a CSS
// transform), so every gesture answers at once.
//
// Pointer positions are measured on the canvas's untransformed box (its `view` wrapper), which
// the target region fills, not on the moved preview.
//
// Mouse: click zooms in ×2 about the point, Shift+click or right-click zooms out, a drag pans.
// Touch: a tap zooms in about the point; swipes are left to scrolling the page (a full-width
// picture must not trap the finger: the browser then sends pointercancel), and the buttons zoom
// out. Keyboard (the canvas is focusable): + and − zoom about the centre, the arrow keys pan by
// a tenth; with Ctrl, Alt or Cmd held the keys stay the browser's (page zoom, back). The wheel is
// left to scrolling.

const DRAG_PX = 4;
const ZOOM = 2;

/**
 * `target()` → the region the fields ask for ({ x_min, x_max, y_min, y_max }, numbers);
 * `onRegion(region)`: a gesture asks for `region`; `onPreview(region)`: a drag in progress
 * would show `region` (the picture follows the pointer).
 */
export function attachZoomPan(canvas, view, { target, onRegion, onPreview }) {
  let down = null;

  view.addEventListener('contextmenu', (e) => e.preventDefault());
  view.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 && e.button !== 2) return;
    if (e.pointerType !== 'touch') view.setPointerCapture(e.pointerId);
    down = { x: e.clientX, y: e.clientY, dragging: false, button: e.button, shift: e.shiftKey, touch: e.pointerType === 'touch', from: target() };
  });
  const dragged = (d, e) => {
    const rect = view.getBoundingClientRect();
    const r = d.from, w = r.x_max - r.x_min, h = r.y_max - r.y_min;
    const fx = (e.clientX - d.x) / rect.width, fy = (e.clientY - d.y) / rect.height;
    return { x_min: r.x_min - fx * w, x_max: r.x_max - fx * w, y_min: r.y_min + fy * h, y_max: r.y_max + fy * h };
  };
  view.addEventListener('pointermove', (e) => {
    if (!down || down.touch) return;
    if (!down.dragging && Math.hypot(e.clientX - down.x, e.clientY - down.y) > DRAG_PX) down.dragging = true;
    if (down.dragging) onPreview(dragged(down, e));
  });
  view.addEventListener('pointerup', (e) => {
    if (!down) return;
    const d = down;
    down = null;
    if (d.dragging) {
      onRegion(dragged(d, e));
      return;
    }
    // A mouse click, or a touch that did not become a scroll (that ends in pointercancel):
    // a finger that wobbles a little still taps.
    const rect = view.getBoundingClientRect();
    const r = d.from, w = r.x_max - r.x_min, h = r.y_max - r.y_min;
    const fx = (e.clientX - rect.left) / rect.width, fy = (e.clientY - rect.top) / rect.height;
    onRegion(zoomAbout(r, r.x_min + fx * w, r.y_max - fy * h, d.button === 2 || d.shift ? 1 / ZOOM : ZOOM));
  });
  view.addEventListener('pointercancel', () => {
    if (down?.dragging && !down.touch) onPreview(down.from);
    down = null;
  });
  canvas.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const r = target();
    const w = r.x_max - r.x_min, h = r.y_max - r.y_min;
    const pan = { ArrowLeft: [-0.1, 0], ArrowRight: [0.1, 0], ArrowUp: [0, 0.1], ArrowDown: [0, -0.1] }[e.key];
    let next = null;
    if (e.key === '+' || e.key === '=') next = zoomCentre(r, ZOOM);
    else if (e.key === '-' || e.key === '_') next = zoomCentre(r, 1 / ZOOM);
    else if (pan) {
      next = { x_min: r.x_min + pan[0] * w, x_max: r.x_max + pan[0] * w, y_min: r.y_min + pan[1] * h, y_max: r.y_max + pan[1] * h };
    }
    if (next) {
      e.preventDefault();
      onRegion(next);
    }
  });
}

/** The region `factor` times smaller (zoom in) centred on the point (x, y). */
export function zoomAbout(r, x, y, factor) {
  const hw = (r.x_max - r.x_min) / (2 * factor), hh = (r.y_max - r.y_min) / (2 * factor);
  return { x_min: x - hw, x_max: x + hw, y_min: y - hh, y_max: y + hh };
}

/** The region `factor` times smaller about its own centre. */
export function zoomCentre(r, factor) {
  return zoomAbout(r, (r.x_min + r.x_max) / 2, (r.y_min + r.y_max) / 2, factor);
}

/**
 * The CSS transform that shows a picture of region `shown` where region `next` would put it
 * (transform-origin at the top left): `next` fills the box, `shown` scaled and moved within it.
 * '' when they are the same.
 */
export function previewTransform(shown, next) {
  const sw = shown.x_max - shown.x_min, sh = shown.y_max - shown.y_min;
  const nw = next.x_max - next.x_min, nh = next.y_max - next.y_min;
  if (!(sw > 0 && sh > 0 && nw > 0 && nh > 0)) return '';
  const kx = sw / nw, ky = sh / nh;
  const tx = (shown.x_min - next.x_min) / nw, ty = (next.y_max - shown.y_max) / nh;
  if (Math.abs(kx - 1) < 1e-12 && Math.abs(ky - 1) < 1e-12 && Math.abs(tx) < 1e-12 && Math.abs(ty) < 1e-12) return '';
  return `translate(${(tx * 100).toFixed(4)}%, ${(ty * 100).toFixed(4)}%) scale(${kx.toFixed(6)}, ${ky.toFixed(6)})`;
}
