// The diffusion panel's own parts: the grid drawn as it steps (frames from the worker, painted
// one per display frame by www/workloads/diffusion-frames.js), the runs table's words.

import { FramePainter } from './diffusion-frames.js';

export default {
  blurb: 'The browser draws the grid as it steps.',
  animate: true,
  label: (v, job) => `${v.width}×${v.height}, ${v.steps} steps${job.animate ? ', drawn' : ''}`,
  caption: (side, job) => (side === 'browser' ? `all ${job.values.steps} steps` : null),
  setup(panel) {
    const painter = new FramePainter(panel.canvas, (f) => {
      panel.pictures.browserCaption.textContent = `In your browser: step ${f.steps_done} of ${f.steps}`;
    });
    return { painter };
  },
};
