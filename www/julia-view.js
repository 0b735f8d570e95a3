// Click-to-zoom and drag-to-pan on the Julia canvas. The picture is a region of the complex
// plane (x_min..x_max left to right, y_max..y_min top to bottom: workloads.md §1); every gesture
// turns into a new region, and the panel re-runs the kernel for it. While dragging, the old
// picture follows the pointer (a CSS transform) so the pan feels direct before the new one lands.
//
// Mouse and touch: click/tap zooms in ×2 about the point, Shift+click or right-click zooms out,
// a drag of more than a few pixels pans. Keyboard (the canvas is focusable): + and − zoom about
// the centre, the arrow keys pan by a tenth. The wheel is left to page scrolling on purpose.

const DRAG_PX = 4;
const ZOOM = 2;

/**
 * `getRegion()` → { x_min, x_max, y_min, y_max } (numbers) of the picture shown;
 * `onRegion(region)` is called with the region a gesture asks for.
 */
export function attachZoomPan(canvas, { getRegion, onRegion }) {
  let down = null;

  canvas.addEventListener('contextmenu', (e) => e.preventDefault());
  canvas.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 && e.button !== 2) return;
    canvas.setPointerCapture(e.pointerId);
    down = { x: e.clientX, y: e.clientY, dragging: false, button: e.button, shift: e.shiftKey };
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!down) return;
    const dx = e.clientX - down.x, dy = e.clientY - down.y;
    if (!down.dragging && Math.hypot(dx, dy) > DRAG_PX) down.dragging = true;
    if (down.dragging) canvas.style.transform = `translate(${dx}px, ${dy}px)`;
  });
  canvas.addEventListener('pointerup', (e) => {
    if (!down) return;
    const rect = canvas.getBoundingClientRect();
    const r = getRegion();
    const w = r.x_max - r.x_min, h = r.y_max - r.y_min;
    if (down.dragging) {
      const fx = (e.clientX - down.x) / rect.width, fy = (e.clientY - down.y) / rect.height;
      onRegion({ x_min: r.x_min - fx * w, x_max: r.x_max - fx * w, y_min: r.y_min + fy * h, y_max: r.y_max + fy * h });
    } else {
      const fx = (e.clientX - rect.left) / rect.width, fy = (e.clientY - rect.top) / rect.height;
      const out = down.button === 2 || down.shift;
      onRegion(zoomAbout(r, r.x_min + fx * w, r.y_max - fy * h, out ? 1 / ZOOM : ZOOM));
    }
    down = null;
  });
  canvas.addEventListener('pointercancel', () => {
    down = null;
    canvas.style.transform = '';
  });
  canvas.addEventListener('keydown', (e) => {
    const r = getRegion();
    const w = r.x_max - r.x_min, h = r.y_max - r.y_min;
    const cx = (r.x_min + r.x_max) / 2, cy = (r.y_min + r.y_max) / 2;
    const pan = { ArrowLeft: [-0.1, 0], ArrowRight: [0.1, 0], ArrowUp: [0, 0.1], ArrowDown: [0, -0.1] }[e.key];
    let next = null;
    if (e.key === '+' || e.key === '=') next = zoomAbout(r, cx, cy, ZOOM);
    else if (e.key === '-' || e.key === '_') next = zoomAbout(r, cx, cy, 1 / ZOOM);
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
