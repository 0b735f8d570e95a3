// The Julia panel's own parts: navigation on the picture (zoom and pan, www/workloads/
// julia-controls.js), the region in the caption, the runs table's words.

import { JuliaControls } from './julia-controls.js';

export default {
  /** The race's words (www/race/words.js): "The server computed <what> …; the same <same>". */
  race: { what: 'the Julia set', same: 'picture' },
  blurb: 'Click the picture to zoom in (Shift+click or right-click to zoom out), drag it to pan; '
    + 'arrow keys and +/− when it has focus; or use the Zoom buttons.',
  label: (v) => `${v.width}×${v.height}, ${v.max_iter} it.`,
  caption(side, job) {
    const v = job.values;
    return side === 'browser' ? `x ∈ [${fmt(v.x_min)}, ${fmt(v.x_max)}), y ∈ (${fmt(v.y_min)}, ${fmt(v.y_max)}]` : null;
  },
  /** The book's published timings of its case (ch. 2 and 7), for the ladder (www/compare/ladder.js). */
  book: {
    case: '1000 × 1000, 300 iterations', params: {}, unit: 's',
    hardware: 'the book (2014): Intel i7-2720QM laptop, Python 2.7',
    rungs: [
      ['CPython 2.7, pure Python (11–12.3 s)', 11.7], ['PyPy', 0.3], ['Pythran', 0.29], ['Cython, typed + expanded abs', 0.25],
      ['Numba (second run)', 0.23], ['Cython + numpy memoryviews', 0.23], ['Pythran + OpenMP', 0.1], ['Cython + OpenMP prange', 0.07],
    ],
  },
  setup: (site) => new JuliaControls(site),
};

function fmt(text) {
  return Number(Number(text).toPrecision(6)).toString();
}
