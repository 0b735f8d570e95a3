// The GPU side's device (docs/gpu.md): whether this browser gives the page a WebGPU adapter,
// and if not, why in words — the engine, a flag, an insecure context, or no adapter. Decided by
// trying (`navigator.gpu.requestAdapter()`), never by the browser's name; the name only words
// the reason.

/** What the page shows and exports of an adapter: `{ vendor, architecture, description,
 *  fallback }` (`fallback`: a software adapter, such as SwiftShader — correct, not fast) and
 *  the limits that bound a run. */
export function adapterFacts(adapter) {
  const info = adapter.info ?? {};
  const fallback = Boolean(adapter.isFallbackAdapter ?? info.isFallbackAdapter)
    || /swiftshader|llvmpipe|software/i.test(`${info.architecture ?? ''} ${info.description ?? ''} ${info.device ?? ''}`);
  const limits = adapter.limits;
  return {
    vendor: info.vendor || 'unknown',
    architecture: info.architecture || 'unknown',
    description: info.description || info.device || '',
    fallback,
    limits: {
      max_buffer_size: Number(limits.maxBufferSize),
      max_storage_buffer_binding_size: Number(limits.maxStorageBufferBindingSize),
      max_compute_workgroups_per_dimension: limits.maxComputeWorkgroupsPerDimension,
      max_compute_invocations_per_workgroup: limits.maxComputeInvocationsPerWorkgroup,
    },
  };
}

/** The adapter's name: "google swiftshader", or '' when it gives none. */
export function adapterName(facts) {
  return [facts.vendor, facts.architecture, facts.description].filter((s) => s && s !== 'unknown').join(' ');
}

/** The adapter's name in one phrase: "google swiftshader (software)". */
export function adapterLabel(facts) {
  return `${adapterName(facts) || 'an unnamed adapter'}${facts.fallback ? ' (software)' : ''}`;
}

/**
 * Asks for a device → `{ available: true, device, adapter: facts }` or `{ available: false,
 * why }`. `env`: `{ gpu, secure, engine, userAgent }` (defaults: this page's), so the reasons are
 * unit-tested with fakes.
 */
export async function openGpu(env = {}) {
  const gpu = 'gpu' in env ? env.gpu : globalThis.navigator?.gpu;
  const secure = env.secure ?? globalThis.isSecureContext;
  const engine = env.engine ?? { name: 'unknown', label: 'this browser' };
  const userAgent = env.userAgent ?? globalThis.navigator?.userAgent ?? '';
  if (!gpu) return { available: false, why: missingWhy(engine, secure) };
  let adapter;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { available: false, why: `${engine.label} refused a WebGPU adapter (${e?.message ?? e})` };
  }
  if (!adapter) return { available: false, why: noAdapterWhy(engine, userAgent) };
  const facts = adapterFacts(adapter);
  try {
    // The adapter's own limits, not the defaults: a big Julia image needs a big counts buffer.
    const device = await adapter.requestDevice({
      requiredLimits: {
        maxBufferSize: adapter.limits.maxBufferSize,
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      },
    });
    return { available: true, device, adapter: facts };
  } catch (e) {
    return { available: false, why: `the adapter ${adapterLabel(facts)} gave no device (${e?.message ?? e})` };
  }
}

/** Why `navigator.gpu` gave no adapter, in words: Chromium on Linux exposes the API but hands
 *  out adapters only behind a flag. */
function noAdapterWhy(engine, userAgent) {
  const linux = /Linux/.test(userAgent) && !/Android/.test(userAgent);
  if (engine.name === 'chromium' && linux) {
    return `${engine.label} found no GPU adapter: on Linux it gives one only behind a flag (--enable-unsafe-webgpu, or chrome://flags "Unsafe WebGPU Support")`;
  }
  return `${engine.label} offers WebGPU but found no GPU adapter it will use here (a blocklisted driver, or no GPU)`;
}

/** Why `navigator.gpu` is missing, in words. */
function missingWhy(engine, secure) {
  if (secure === false) return 'not a secure context (http:// other than localhost): WebGPU is offered on HTTPS and localhost only';
  const byEngine = {
    chromium: 'offers WebGPU on Linux only behind a flag (--enable-unsafe-webgpu, or chrome://flags "Unsafe WebGPU Support")',
    firefox: 'offers WebGPU on Windows and macOS; on Linux only with dom.webgpu.enabled in about:config',
    webkit: 'offers WebGPU in Safari 26 and later; this WebKit does not',
  };
  return `${engine.label} ${byEngine[engine.name] ?? 'does not offer WebGPU (navigator.gpu is missing)'}`;
}
