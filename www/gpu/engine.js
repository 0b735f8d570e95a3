// The GPU side (`side: "gpu"`, docs/gpu.md): Monte Carlo π and the Julia set in f32 computed by
// this browser's GPU through WebGPU, answering like the other sides — checksum, kernel_ms, the
// summary — plus the adapter that ran it. The device is asked for once, on the first use (or
// when "Where it runs" asks whether there is one); a lost device is asked for again next time.
import { openGpu } from './device.js';
import { countDarts, juliaCounts, pipeline } from './kernels.js';

/** The workloads with a shader, and where it is in the page (copied from crates/kernels/src/). */
export const SHADERS = {
  pi: { file: 'pi.wgsl', entry: 'count_inside' },
  julia: { file: 'julia.wgsl', entry: 'escape_counts' },
};

const refusal = (field, message) => ({ field, message, kind: 'range' });

/** Why the GPU side refuses a case before any GPU work, or null: the workload must have a
 *  shader, and Julia must ask for f32 (WebGPU has no f64). */
export function gpuRefusal(workload, params = {}) {
  if (!SHADERS[workload]) {
    return refusal('workload', `workload = ${JSON.stringify(workload)} has no GPU shader: allowed on the GPU side: ${Object.keys(SHADERS).join(', ')}`);
  }
  if (workload === 'julia' && (params.precision ?? 'f64') !== 'f32') {
    return refusal('precision', 'the GPU computes in f32: choose precision f32 (WebGPU has no f64; precision = f64 runs on the CPU sides)');
  }
  return null;
}

export class GpuEngine {
  /** `engine`: a promise of the page's engine facts ({ name, label }), to word the reasons. */
  constructor(engine) {
    this.engine = engine;
    this.opened = null;
    this.pipelines = new Map();
    this.state = { done: 0, total: 0 };
    this.abort = null;
    this.lost = null;
  }

  /** The device as asked for once (`openGpu`'s answer); after a loss, asked for anew. */
  open() {
    if (!this.opened) {
      this.lost = null;
      this.opened = this.engine.then((engine) => openGpu({ engine })).then((opened) => {
        opened.device?.lost.then((info) => {
          // The next run asks for a new device; this one's pipelines go with it.
          this.lost = `the GPU device was lost (${info.message || info.reason})`;
          this.opened = null;
          this.pipelines.clear();
        });
        return opened;
      });
    }
    return this.opened;
  }

  /** `{ available, why?, adapter? }`, asking for the device the first time. */
  async status() {
    const { device: _d, ...status } = await this.open();
    return status;
  }

  async device() {
    const opened = await this.open();
    if (!opened.available) throw { field: 'side', message: `no GPU side here: ${opened.why}`, kind: 'unavailable' };
    return opened;
  }

  /** The compiled pipeline of `workload`'s shader, fetched and compiled once per device. */
  async pipeline(device, workload) {
    if (!this.pipelines.has(workload)) {
      const { file, entry } = SHADERS[workload];
      const made = (async () => {
        const res = await fetch(new URL(`../shaders/${file}`, import.meta.url));
        if (!res.ok) throw { field: null, message: `the shader ${file} could not be loaded (HTTP ${res.status})` };
        return pipeline(device, await res.text(), entry, file);
      })();
      made.catch(() => this.pipelines.delete(workload));
      this.pipelines.set(workload, made);
    }
    return this.pipelines.get(workload);
  }

  /** Progress of the run going on: `{ done, total }` (darts or rows). */
  progress() {
    return { ...this.state };
  }

  cancel() {
    if (!this.abort) return false;
    this.abort.abort();
    return true;
  }

  /** Marks a run as begun before its checks: progress zeroed, and a Cancel from now on stops
   *  it, even one pressed before its first dispatch. `end()` when it is over. */
  begin() {
    this.state = { done: 0, total: 0 };
    this.abort = new AbortController();
  }

  end() {
    this.abort = null;
  }

  /**
   * Runs `params` (the full params: every field, as the descriptions' defaults give them)
   * `repeat` times → the answer, per repetition: `{ side: 'gpu', workload, variant: 'gpu',
   * threads: null, lanes: null, repeat, checksum, kernel_ms, ...summary, adapter, counts? }`.
   */
  async run(workload, params, { repeat = 1, signal } = {}) {
    const why = gpuRefusal(workload, params);
    if (why) throw why;
    if (!this.abort) this.begin();
    const controller = this.abort;
    const inner = controller.signal;
    const stop = () => controller.abort();
    signal?.addEventListener('abort', stop);
    if (signal?.aborted) stop();
    const onProgress = (done, total) => { this.state = { done, total }; };
    try {
      const { device, adapter } = await this.device();
      const compiled = await this.pipeline(device, workload);
      if (inner.aborted) throw { field: null, message: 'the GPU run was cancelled', kind: 'cancelled' };
      let total = 0, last;
      for (let i = 0; i < repeat; i++) {
        last = workload === 'pi'
          ? await countDarts(device, compiled, { seed: BigInt(params.seed), start: 0n, samples: BigInt(params.samples) }, { signal: inner, onProgress })
          : await juliaCounts(device, compiled, params, { signal: inner, onProgress });
        total += last.kernel_ms;
      }
      const base = { side: 'gpu', workload, variant: 'gpu', threads: null, lanes: null, repeat, kernel_ms: total / repeat, adapter };
      return workload === 'pi' ? { ...base, ...piAnswer(last.inside, Number(params.samples)) } : { ...base, ...juliaAnswer(last.counts) };
    } catch (e) {
      if (this.lost) throw { field: null, message: this.lost, kind: 'error' };
      throw e;
    } finally {
      signal?.removeEventListener('abort', stop);
      if (this.abort === controller) this.abort = null;
    }
  }

  /** Test entry point: darts `[start, start + samples)` of `seed` inside (docs/gpu.md), the
   *  window past 2³² that a workload run (always from 0) does not reach. */
  async countDarts({ seed = 0, start = 0, samples }) {
    const { device } = await this.device();
    const compiled = await this.pipeline(device, 'pi');
    const out = await countDarts(device, compiled, { seed: BigInt(seed), start: BigInt(start), samples: BigInt(samples) });
    return out.inside;
  }
}

/** π's answer, as the kernels word it (docs/workloads.md §4). */
function piAnswer(inside, samples) {
  const estimate = (4 * inside) / samples;
  return { checksum: String(inside), inside: String(inside), estimate, deviation: estimate - Math.PI };
}

/** Julia's answer: the checksum is the sum of the counts, as for the CPU sides. */
function juliaAnswer(counts) {
  let sum = 0, max = 0;
  for (const c of counts) {
    sum += c;
    if (c > max) max = c;
  }
  return { checksum: String(sum), iterations: String(sum), max, counts };
}

/** How the GPU's counts agree with the f32 kernels' (`expected`): `{ equal_pixels,
 *  total_pixels, max_difference }`. */
export function agreement(counts, expected) {
  let equal = 0, maxDifference = 0;
  for (let i = 0; i < counts.length; i++) {
    const d = Math.abs(counts[i] - expected[i]);
    if (d === 0) equal++;
    else if (d > maxDifference) maxDifference = d;
  }
  return { equal_pixels: equal, total_pixels: counts.length, max_difference: maxDifference };
}
