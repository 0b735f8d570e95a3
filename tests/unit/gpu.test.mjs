// The GPU side's pure parts (www/gpu/): the reasons in words when there is no adapter, with fake
// `navigator.gpu`s; the adapter's facts; the refusals before any GPU work; the agreement count;
// Julia's starting points rounded as the kernels round them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openGpu, adapterFacts, adapterLabel } from '../../www/gpu/device.js';
import { agreement, gpuRefusal } from '../../www/gpu/engine.js';
import { coordinates } from '../../www/gpu/kernels.js';

const chromium = { name: 'chromium', label: 'Chromium 156 (V8)' };
const LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.8078.73 Safari/537.36';
const MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

const limits = { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 27, maxComputeWorkgroupsPerDimension: 65535, maxComputeInvocationsPerWorkgroup: 256 };
const fakeAdapter = (info, device = {}) => ({ info, limits, requestDevice: async (d) => ({ asked: d, lost: new Promise(() => {}), ...device }) });

test('each missing piece is said in words: insecure context, no navigator.gpu per engine, no adapter, a refusal', async () => {
  const insecure = await openGpu({ gpu: undefined, secure: false, engine: chromium, userAgent: LINUX });
  assert.match(insecure.why, /not a secure context/);
  const firefox = await openGpu({ gpu: undefined, secure: true, engine: { name: 'firefox', label: 'Firefox 153.0 (SpiderMonkey)' } });
  assert.match(firefox.why, /^Firefox 153\.0 .*dom\.webgpu\.enabled/);
  const webkit = await openGpu({ gpu: undefined, secure: true, engine: { name: 'webkit', label: 'WebKit 60.5 (JavaScriptCore)' } });
  assert.match(webkit.why, /^WebKit 60\.5 .*Safari 26/);
  const linux = await openGpu({ gpu: { requestAdapter: async () => null }, secure: true, engine: chromium, userAgent: LINUX });
  assert.match(linux.why, /^Chromium 156 \(V8\) found no GPU adapter: on Linux .*--enable-unsafe-webgpu/);
  const mac = await openGpu({ gpu: { requestAdapter: async () => null }, secure: true, engine: chromium, userAgent: MAC });
  assert.match(mac.why, /blocklisted driver, or no GPU/);
  const thrown = await openGpu({ gpu: { requestAdapter: async () => { throw new Error('boom'); } }, secure: true, engine: chromium });
  assert.match(thrown.why, /refused a WebGPU adapter \(boom\)/);
  for (const s of [insecure, firefox, webkit, linux, mac, thrown]) assert.equal(s.available, false);
});

test('an adapter gives a device with its own limits, and its facts', async () => {
  const opened = await openGpu({ gpu: { requestAdapter: async () => fakeAdapter({ vendor: 'nvidia', architecture: 'ada', description: 'RTX 4060' }) }, secure: true, engine: chromium });
  assert.equal(opened.available, true);
  assert.equal(opened.device.asked.requiredLimits.maxStorageBufferBindingSize, 2 ** 27);
  assert.deepEqual(opened.adapter, {
    vendor: 'nvidia', architecture: 'ada', description: 'RTX 4060', fallback: false,
    limits: { max_buffer_size: 2 ** 30, max_storage_buffer_binding_size: 2 ** 27, max_compute_workgroups_per_dimension: 65535, max_compute_invocations_per_workgroup: 256 },
  });
  assert.equal(adapterLabel(opened.adapter), 'nvidia ada RTX 4060');
  const swiftshader = adapterFacts(fakeAdapter({ vendor: 'google', architecture: 'swiftshader', description: '' }));
  assert.equal(swiftshader.fallback, true);
  assert.equal(adapterLabel(swiftshader), 'google swiftshader (software)');
  const failing = await openGpu({ gpu: { requestAdapter: async () => ({ ...fakeAdapter({ vendor: 'x' }), requestDevice: async () => { throw new Error('limits'); } }) }, secure: true, engine: chromium });
  assert.match(failing.why, /gave no device \(limits\)/);
});

test('the GPU refuses workloads without a shader and Julia in f64, naming the field', () => {
  assert.equal(gpuRefusal('pi', {}), null);
  assert.equal(gpuRefusal('julia', { precision: 'f32' }), null);
  assert.equal(gpuRefusal('julia', {}).field, 'precision');
  assert.match(gpuRefusal('julia', { precision: 'f64' }).message, /^the GPU computes in f32: choose precision f32/);
  assert.equal(gpuRefusal('primes', {}).field, 'workload');
  assert.match(gpuRefusal('diffusion', {}).message, /allowed on the GPU side: pi, julia/);
});

test('agreement counts equal pixels and the largest difference', () => {
  const a = agreement(Uint32Array.from([1, 2, 3, 300, 5]), Uint32Array.from([1, 2, 4, 290, 5]));
  assert.deepEqual(a, { equal_pixels: 3, total_pixels: 5, max_difference: 10 });
  assert.deepEqual(agreement(Uint32Array.from([7]), Uint32Array.from([7])), { equal_pixels: 1, total_pixels: 1, max_difference: 0 });
});

test('Julia\'s starting points: computed in f64 as the kernels do (step first, then multiplied), rounded once to f32', () => {
  const p = { width: 1000, height: 1000, x_min: -1.8, x_max: 1.8, y_min: -1.8, y_max: 1.8 };
  const { xs, ys } = coordinates(p);
  assert.equal(xs[0], Math.fround(-1.8));
  assert.equal(ys[0], Math.fround(1.8));
  assert.equal(xs[500], 0);
  const step = 3.6 / 1000;
  assert.equal(xs[123], Math.fround(-1.8 + 123 * step));
  // Rounded once from the f64 value, not accumulated in f32.
  let acc = Math.fround(-1.8);
  for (let i = 0; i < 999; i++) acc = Math.fround(acc + Math.fround(step));
  assert.notEqual(xs[999], acc);
});
