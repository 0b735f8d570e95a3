// Which wasm build this browser can run, and why — in words for the page. Three builds:
// threads + SIMD128 (needs cross-origin isolation for SharedArrayBuffer), SIMD128 on one thread
// (needs no isolation), and plain (neither). SIMD is probed by validating a 29-byte module that
// uses one v128 instruction, threads by creating a shared WebAssembly.Memory: the same probes as
// the wasm-feature-detect package's. Why not the package: its probes are asynchronous (the page
// picks its worker's build at start-up), it would be copied into dist/ by hand (the page has no
// bundler), and it does not say *why* a feature is missing, which is what this module is for.
// `?build=plain|simd` forces a build (a smaller one than the browser allows), for tests.

/** (module (func (result v128) i32.const 0 i32x4.splat)) */
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type: () -> v128
  0x03, 0x02, 0x01, 0x00, // one function of type 0
  0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x00, 0xfd, 0x11, 0x0b, // i32.const 0; i32x4.splat; end
]);

/** The builds, best first: the worker's `?build=` name and where its module is. */
export const BUILDS = { 'threads+simd': '.', simd: './simd', plain: './plain' };

export function detect() {
  const simd = WebAssembly.validate(SIMD_PROBE);
  let sharedMemory = false;
  try {
    sharedMemory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch { /* not isolated, or no wasm threads */ }
  const isolated = self.crossOriginIsolated === true;
  const isolation = isolationSource(isolated);
  const reasons = [];
  if (!isolated) reasons.push(`the page is not cross-origin isolated (${isolation.why || 'no COOP/COEP headers'}), so SharedArrayBuffer is off`);
  else if (!sharedMemory) reasons.push('this browser has no shared WebAssembly memory');
  if (!simd) reasons.push('this browser has no WebAssembly SIMD');
  let build = isolated && sharedMemory && simd ? 'threads+simd' : simd ? 'simd' : 'plain';
  const forced = new URL(self.location.href).searchParams.get('build');
  if ((forced === 'plain' || forced === 'simd') && rank(forced) > rank(build)) {
    build = forced;
    reasons.push(`?build=${forced} asks for it`);
  }
  return { simd, sharedMemory, isolated, isolation, build, why: reasons.join('; ') };
}

function rank(build) {
  return Object.keys(BUILDS).indexOf(build);
}

/** Where the page's isolation comes from: www/isolation.js's verdict ('headers', 'service
 *  worker', 'none' with why), or 'headers' / 'none' when that script did not run. */
function isolationSource(isolated) {
  const s = self.parallaxIsolation;
  if (s && s.source !== 'reloading') return s;
  return isolated ? { source: 'headers', why: '' } : { source: 'none', why: s?.why || 'no COOP/COEP headers' };
}
