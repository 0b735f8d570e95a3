// The threads probe's worker (www/kernels/features.js): given a shared WebAssembly memory, adds 1 to its
// first word with Atomics and answers, so the page sees whether the memory is really shared —
// what wasm-bindgen-rayon's pool needs of every worker it starts.
// A memory that arrives but cannot be deserialised here fires messageerror, not message.
self.onmessageerror = () => self.postMessage({ error: 'the worker could not receive the memory (messageerror)' });
self.onmessage = ({ data }) => {
  try {
    Atomics.add(new Int32Array(data.memory.buffer, 0, 1), 0, 1);
    self.postMessage({ shared: true });
  } catch (e) {
    self.postMessage({ error: `${e?.name ?? 'Error'} in the worker: ${e?.message ?? e}` });
  }
};
