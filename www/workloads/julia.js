// The Julia panel's own parts: navigation on the picture (zoom and pan, www/workloads/
// julia-controls.js), the region in the caption, the runs table's words.

import { JuliaControls } from './julia-controls.js';

export default {
  blurb: 'Click the picture to zoom in (Shift+click or right-click to zoom out), drag it to pan; '
    + 'arrow keys and +/− when it has focus; or use the Zoom buttons.',
  label: (v) => `${v.width}×${v.height}, ${v.max_iter} it.`,
  caption(side, job) {
    const v = job.values;
    return side === 'browser' ? `x ∈ [${fmt(v.x_min)}, ${fmt(v.x_max)}), y ∈ (${fmt(v.y_min)}, ${fmt(v.y_max)}]` : null;
  },
  setup: (panel, actions) => new JuliaControls(panel, actions),
};

function fmt(text) {
  return Number(Number(text).toPrecision(6)).toString();
}
