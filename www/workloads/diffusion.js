// The diffusion panel's own parts: the grid drawn as it steps (frames from the worker, painted
// one per display frame by www/workloads/diffusion-frames.js), the runs table's words.

import { FramePainter } from './diffusion-frames.js';

export default {
  /** The race's words (www/race/words.js): "The server computed <what> …; the same <same>". */
  race: { what: '2D diffusion', same: 'grid after the last step' },
  blurb: 'The browser draws the grid as it steps.',
  animate: true,
  label: (v, job) => `${v.width}×${v.height}, ${v.steps} steps${job.animate ? ', drawn' : ''}`,
  caption: (side, job) => (side === 'browser' ? `all ${job.values.steps} steps` : null),
  /** The book's Table 6-1 at 1024² (ch. 6), per step: its caption says 500 iterations but the
   *  numbers fit 50, so each is divided by 50 (docs/workloads.md). */
  book: {
    case: '1024², per step', params: {}, unit: 's per step', perStep: 500,
    hardware: 'the book (2014): Xeon E5-2680, Python 2.7; Table 6-1 ÷ 50 steps',
    rungs: [
      ['Pure Python (lists)', 39.0 / 50], ['numpy', 1.61 / 50], ['numpy + scipy laplace', 1.22 / 50], ['numpy in place', 1.05 / 50],
      ['numpy in place + hand-written laplacian', 0.53 / 50], ['+ numexpr', 0.50 / 50],
    ],
  },
  setup(site) {
    const painter = new FramePainter(site.canvas, (f) => site.caption(`In your browser: step ${f.steps_done} of ${f.steps}`));
    return { painter };
  },
};
