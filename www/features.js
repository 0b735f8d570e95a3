// Which wasm build this browser can run, and if not the threaded one, why — in words for the
// page. The same probes as the wasm-feature-detect package's for the two features we need: SIMD
// by validating a 29-byte module that uses one v128 instruction, threads by creating a shared
// WebAssembly.Memory (which needs cross-origin isolation). Why not the package: its probes are
// asynchronous (the page picks its worker's build synchronously at start-up), it would be copied
// into dist/ by hand (the page has no bundler), and it does not say *why* a feature is missing,
// which is what this module is for.

/** (module (func (result v128) i32.const 0 i32x4.splat)) */
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type: () -> v128
  0x03, 0x02, 0x01, 0x00, // one function of type 0
  0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x00, 0xfd, 0x11, 0x0b, // i32.const 0; i32x4.splat; end
]);

export function detect() {
  const simd = WebAssembly.validate(SIMD_PROBE);
  let sharedMemory = false;
  try {
    sharedMemory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch { /* not isolated, or no wasm threads */ }
  const isolated = self.crossOriginIsolated === true;
  const reasons = [];
  if (!isolated) reasons.push('the page is not cross-origin isolated (no COOP/COEP headers), so SharedArrayBuffer is off');
  else if (!sharedMemory) reasons.push('this browser has no shared WebAssembly memory');
  if (!simd) reasons.push('this browser has no WebAssembly SIMD');
  const threaded = isolated && sharedMemory && simd;
  return { simd, sharedMemory, isolated, build: threaded ? 'threads+simd' : 'plain', why: reasons.join('; ') };
}
