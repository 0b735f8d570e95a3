// What the benchmark scripts share: kernel times of one spec through the page's
// `window.parallax.run` (after one warm-up run), and their median.

/** `runs` kernel times (ms) of `spec` on `spec.side`, after a warm-up run. */
export function kernelTimes(page, spec, runs) {
  return page.evaluate(async (s) => {
    await window.parallax.run(s);
    const out = [];
    for (let i = 0; i < s.runs; i++) out.push((await window.parallax.run(s)).kernel_ms);
    return out;
  }, { ...spec, runs });
}

export const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
