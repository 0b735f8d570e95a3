// Drawing results on the page's canvases. Pixels of Julia and diffusion come from the shared
// Rust colour maps (the worker's `picture`), so they equal the server's PNG byte for byte.

/** Draws an RGBA picture of `width × height` on `canvas`, scaled to the canvas. */
export function drawPicture(canvas, rgba, width, height) {
  const image = new ImageData(new Uint8ClampedArray(rgba), width, height);
  const ctx = canvas.getContext('2d');
  if (canvas.width === width && canvas.height === height) {
    ctx.putImageData(image, 0, 0);
    return;
  }
  const off = new OffscreenCanvas(width, height);
  off.getContext('2d').putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = width > canvas.width;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(off, 0, 0, canvas.width, canvas.height);
}

/**
 * Primes of a range as a density picture: the range is cut into one slice per column and each
 * column's height is the number of primes in its slice (scaled to the fullest column).
 * `primes` is a BigUint64Array, `start`/`end` BigInts.
 */
export function drawPrimes(canvas, primes, start, end) {
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  ctx.fillStyle = '#111';
  ctx.fillRect(0, 0, width, height);
  const span = end - start;
  if (span <= 0n || primes.length === 0) return;
  const counts = new Uint32Array(width);
  for (const p of primes) {
    counts[Number(((p - start) * BigInt(width)) / span)]++;
  }
  const max = Math.max(...counts);
  ctx.fillStyle = '#f5a623';
  counts.forEach((c, x) => {
    const h = Math.round((c / max) * (height - 4));
    ctx.fillRect(x, height - h, 1, h);
  });
}
