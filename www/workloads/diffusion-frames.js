// Paints the frames of a diffusion animation, one per display frame. Frames arrive from the
// worker as fast as the kernel makes them (a small grid can make dozens in a few milliseconds);
// painting each on its own display frame lets the eye follow the heat spreading, while the
// timings stay the kernel's own. Frames waiting to be painted are bounded in bytes: past the
// bound the oldest waiting frame is dropped (never the last one, which is the result).
import { drawPicture } from '../panel/draw.js';

const MAX_WAITING_BYTES = 64 << 20;

export class FramePainter {
  /** `onPaint(frame)` runs after each frame is painted (for a caption). */
  constructor(canvas, onPaint) {
    this.canvas = canvas;
    this.onPaint = onPaint;
    this.reset();
  }

  /** Forgets waiting frames and zeroes the count of frames painted (`data-frames`). */
  reset() {
    this.queue = [];
    this.bytes = 0;
    this.painted = 0;
    this.canvas.dataset.frames = '0';
  }

  /** Queues a frame ({ picture, steps_done, steps }) of a `width × height` grid. */
  push(frame, { width, height }) {
    this.queue.push({ ...frame, width, height });
    this.bytes += frame.picture.byteLength;
    while (this.bytes > MAX_WAITING_BYTES && this.queue.length > 1) {
      this.bytes -= this.queue.shift().picture.byteLength;
    }
    if (!this.scheduled) {
      this.scheduled = true;
      requestAnimationFrame(() => this.paint());
    }
  }

  paint() {
    this.scheduled = false;
    const frame = this.queue.shift();
    if (!frame) return;
    this.bytes -= frame.picture.byteLength;
    drawPicture(this.canvas, frame.picture, frame.width, frame.height);
    this.painted += 1;
    this.canvas.dataset.frames = String(this.painted);
    this.canvas.dataset.step = String(frame.steps_done);
    this.onPaint(frame);
    if (this.queue.length) {
      this.scheduled = true;
      requestAnimationFrame(() => this.paint());
    }
  }
}
