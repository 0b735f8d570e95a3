// The GPU side's two kernels (docs/gpu.md): the WGSL shaders beside the workloads' Rust kernels
// (crates/kernels/src/{pi,julia}/*.wgsl, copied to shaders/ in the page) dispatched in chunks,
// so a run reports progress and stops between chunks when cancelled. Each returns what it
// computed and its time: from the first submission to the last chunk's completion, without the
// shader's compilation (cached per device) and, for Julia, without the read-back of the counts —
// the CPU sides' kernel_ms leaves the same out.

/** π: darts per invocation and invocations per workgroup, as pi.wgsl declares them. */
const PI_DARTS_PER_WORKGROUP = 16 * 64;
/** π: darts per dispatch (≤ 4096 workgroups: far below the 65,535 a dimension allows). */
const PI_DISPATCH = 1 << 22;
/** π: a batch of dispatches shares one u32 counter, read back after it: < 2³² darts. */
const PI_BATCH_MAX = 1 << 28;
/** Aim of one batch's time: long enough to amortise a read-back, short enough to cancel. */
const BATCH_TARGET_MS = 60;
/** Julia: pixels per dispatch (a band of rows), and dispatches between two waits. */
const JULIA_BAND_PIXELS = 1 << 18;
const JULIA_BANDS_PER_WAIT = 4;

const cancelled = () => ({ field: null, message: 'the GPU run was cancelled', kind: 'cancelled' });

/** A compute pipeline for `source`'s `entry`, with the compiler's messages when it fails. */
export async function pipeline(device, source, entry, label) {
  const module = device.createShaderModule({ code: source, label });
  const info = await module.getCompilationInfo?.();
  const errors = (info?.messages ?? []).filter((m) => m.type === 'error');
  if (errors.length) {
    throw { field: null, message: `${label} did not compile: ${errors.map((m) => `line ${m.lineNum}: ${m.message}`).join('; ')}` };
  }
  return device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: entry }, label });
}

function check(signal) {
  if (signal?.aborted) throw cancelled();
}

/**
 * Darts `[start, start + samples)` of `seed` inside the quarter circle (BigInts in, a Number
 * out: at most 10¹⁰ < 2⁵³). `onProgress(done, total)` after each batch.
 * → { inside, kernel_ms }
 */
export async function countDarts(device, piPipeline, { seed, start, samples }, { signal, onProgress } = {}) {
  const uniform = device.createBuffer({ size: 32, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  const counter = device.createBuffer({ size: 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  const readback = device.createBuffer({ size: 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const bindGroup = device.createBindGroup({
    layout: piPipeline.getBindGroupLayout(0),
    entries: [{ binding: 0, resource: { buffer: uniform } }, { binding: 1, resource: { buffer: counter } }],
  });
  const words = new Uint32Array(8);
  const low = (x) => Number(x & 0xffffffffn);
  const high = (x) => Number((x >> 32n) & 0xffffffffn);
  let inside = 0;
  let done = 0n;
  let batch = BigInt(PI_DISPATCH);
  const started = performance.now();
  try {
    while (done < samples) {
      check(signal);
      const batchStarted = performance.now();
      const batchEnd = done + batch < samples ? done + batch : samples;
      device.queue.writeBuffer(counter, 0, new Uint32Array(1));
      for (let at = done; at < batchEnd; at += BigInt(PI_DISPATCH)) {
        const count = Number(batchEnd - at < BigInt(PI_DISPATCH) ? batchEnd - at : BigInt(PI_DISPATCH));
        const first = start + at;
        words.set([low(seed), high(seed), low(first), high(first), count]);
        device.queue.writeBuffer(uniform, 0, words);
        const encoder = device.createCommandEncoder();
        const pass = encoder.beginComputePass();
        pass.setPipeline(piPipeline);
        pass.setBindGroup(0, bindGroup);
        pass.dispatchWorkgroups(Math.ceil(count / PI_DARTS_PER_WORKGROUP));
        pass.end();
        device.queue.submit([encoder.finish()]);
      }
      const encoder = device.createCommandEncoder();
      encoder.copyBufferToBuffer(counter, 0, readback, 0, 4);
      device.queue.submit([encoder.finish()]);
      await readback.mapAsync(GPUMapMode.READ);
      inside += new Uint32Array(readback.getMappedRange())[0];
      readback.unmap();
      done = batchEnd;
      onProgress?.(Number(done), Number(samples));
      // Batches grow while they are quick, so a fast GPU is not held up by read-backs.
      if (performance.now() - batchStarted < BATCH_TARGET_MS / 2 && batch < BigInt(PI_BATCH_MAX)) batch *= 2n;
    }
    return { inside, kernel_ms: performance.now() - started };
  } finally {
    for (const b of [uniform, counter, readback]) b.destroy();
  }
}

/** Julia's starting points as the kernels compute them: in f64, then rounded once to f32. */
export function coordinates(p) {
  const stepX = (p.x_max - p.x_min) / p.width;
  const stepY = (p.y_max - p.y_min) / p.height;
  const xs = Float32Array.from({ length: p.width }, (_, i) => p.x_min + i * stepX);
  const ys = Float32Array.from({ length: p.height }, (_, j) => p.y_max - j * stepY);
  return { xs, ys };
}

/**
 * The Julia set's counts in f32 (`p`: the full params, numbers). `onProgress(rows, height)`.
 * → { counts: Uint32Array (row-major), kernel_ms }
 */
export async function juliaCounts(device, juliaPipeline, p, { signal, onProgress } = {}) {
  const { xs, ys } = coordinates(p);
  const pixels = p.width * p.height;
  const storage = (array) => {
    const b = device.createBuffer({ size: Math.max(16, array.byteLength), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(b, 0, array);
    return b;
  };
  const uniform = device.createBuffer({ size: 32, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  const xBuffer = storage(xs);
  const yBuffer = storage(ys);
  const counts = device.createBuffer({ size: pixels * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const readback = device.createBuffer({ size: pixels * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const bindGroup = device.createBindGroup({
    layout: juliaPipeline.getBindGroupLayout(0),
    entries: [uniform, xBuffer, yBuffer, counts].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const bandRows = Math.max(8, Math.floor(JULIA_BAND_PIXELS / p.width / 8) * 8);
  const params = new ArrayBuffer(32);
  const u32 = new Uint32Array(params);
  const f32 = new Float32Array(params);
  try {
    const started = performance.now();
    let kernelMs = 0;
    for (let row = 0, band = 0; row < p.height; row += bandRows, band++) {
      check(signal);
      u32.set([p.width, p.height, p.max_iter, row]);
      f32.set([p.c_re, p.c_im], 4);
      device.queue.writeBuffer(uniform, 0, params);
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(juliaPipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(Math.ceil(p.width / 8), Math.ceil(Math.min(bandRows, p.height - row) / 8));
      pass.end();
      device.queue.submit([encoder.finish()]);
      const last = row + bandRows >= p.height;
      if (last || band % JULIA_BANDS_PER_WAIT === JULIA_BANDS_PER_WAIT - 1) {
        await device.queue.onSubmittedWorkDone();
        if (last) kernelMs = performance.now() - started;
        onProgress?.(Math.min(p.height, row + bandRows), p.height);
      }
    }
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(counts, 0, readback, 0, pixels * 4);
    device.queue.submit([encoder.finish()]);
    await readback.mapAsync(GPUMapMode.READ);
    const out = new Uint32Array(readback.getMappedRange().slice(0));
    readback.unmap();
    return { counts: out, kernel_ms: kernelMs };
  } finally {
    for (const b of [uniform, xBuffer, yBuffer, counts, readback]) b.destroy();
  }
}
