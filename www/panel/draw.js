// Drawing results on the page's canvases. Pixels of Julia and diffusion come from the shared
// Rust colour maps (the worker's `picture`), so they equal the server's PNG byte for byte.

/** Draws an RGBA picture of `width × height` on `canvas`, scaled to the canvas. */
export function drawPicture(canvas, rgba, width, height) {
  const image = new ImageData(new Uint8ClampedArray(rgba), width, height);
  const ctx = canvas.getContext('2d');
  if (!canvas.dataset.fixedSize && (canvas.width !== width || canvas.height !== height)) {
    canvas.width = width;
    canvas.height = height;
  }
  sharpIfEnlarged(canvas, canvas.width);
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

/** Pixels drawn as sharp squares when a picture `width` pixels wide is shown wider than that
 *  (a small grid, a spiral); smoothed when it is shrunk. */
export function sharpIfEnlarged(node, width) {
  node.classList.toggle('pixelated', width < node.clientWidth * (window.devicePixelRatio || 1));
}

/** The largest range drawn as an Ulam spiral (one pixel per number); wider ranges are drawn as
 *  a density map. */
export const SPIRAL_MAX = 512 * 512;

/**
 * The primes of [start, end) (`primes` a sorted BigUint64Array, bounds BigInts) on `canvas`:
 * up to SPIRAL_MAX numbers as an Ulam spiral starting at `start` in the middle (prime = lit),
 * so the spiral's diagonals show; wider ranges as a density map, row-major, each cell's
 * brightness its count of primes over the count the prime number theorem expects (1 / ln n).
 * Returns a caption.
 */
export function drawPrimeRange(canvas, primes, start, end) {
  const span = Number(end - start);
  if (span <= 0) return drawVerdict(canvas, 'an empty range', '');
  return span <= SPIRAL_MAX ? drawSpiral(canvas, primes, start, span) : drawDensity(canvas, primes, start, end);
}

function drawSpiral(canvas, primes, start, span) {
  const side = Math.max(1, Math.ceil(Math.sqrt(span)));
  canvas.width = side;
  canvas.height = side;
  sharpIfEnlarged(canvas, side);
  const image = new ImageData(side, side);
  const px = new Uint32Array(image.data.buffer);
  px.fill(0xff1a1411); // dark background (ABGR little-endian)
  let x = Math.floor((side - 1) / 2), y = Math.floor(side / 2);
  let dx = 1, dy = 0, leg = 1, walked = 0, turns = 0, next = 0;
  for (let k = 0; k < span; k++) {
    while (next < primes.length && Number(primes[next] - start) < k) next++;
    const prime = next < primes.length && Number(primes[next] - start) === k;
    if (x >= 0 && y >= 0 && x < side && y < side) px[y * side + x] = prime ? 0xff23a6f5 : 0xff2b211c;
    x += dx; y += dy;
    if (++walked === leg) {
      walked = 0;
      [dx, dy] = [dy, -dx];
      if (++turns % 2 === 0) leg++;
    }
  }
  canvas.getContext('2d').putImageData(image, 0, 0);
  return `Ulam spiral of ${span.toLocaleString('en')} numbers from ${start.toLocaleString('en')} (centre): ${primes.length.toLocaleString('en')} primes lit`;
}

function drawDensity(canvas, primes, start, end) {
  const cols = 256, rows = 128, cells = cols * rows;
  canvas.width = cols;
  canvas.height = rows;
  sharpIfEnlarged(canvas, cols);
  const span = end - start;
  const counts = new Float64Array(cells);
  // Offsets from `start` in doubles, from the 32-bit halves: exact below 2^53 without a BigInt
  // per prime (a wide range holds millions of them).
  const words = new Uint32Array(primes.buffer, primes.byteOffset, primes.length * 2);
  const startHi = Number(start >> 32n), startLo = Number(start & 0xffffffffn);
  const scale = cells / Number(span);
  for (let i = 0; i < primes.length; i++) {
    const offset = (words[2 * i + 1] - startHi) * 4294967296 + (words[2 * i] - startLo);
    counts[Math.min(cells - 1, Math.floor(offset * scale))]++;
  }
  const image = new ImageData(cols, rows);
  const perCell = Number(span) / cells;
  for (let c = 0; c < cells; c++) {
    const mid = Number(start) + (c + 0.5) * perCell;
    const expected = perCell / Math.log(Math.max(mid, 3));
    const t = Math.min(1, counts[c] / (2 * expected)); // 0.5 = as expected
    image.data.set([Math.round(255 * Math.min(1, 2 * t)), Math.round(200 * t), Math.round(60 * t * t), 255], 4 * c);
  }
  canvas.getContext('2d').putImageData(image, 0, 0);
  return `density of primes in ${cells.toLocaleString('en')} slices of ${Math.round(perCell).toLocaleString('en')} numbers; mid-orange = what 1/ln n predicts`;
}

/** A result without a picture (a primality verdict, a count) as large text. Returns it. */
export function drawVerdict(canvas, headline, detail) {
  // Drawn at twice the size it is laid out at, so the text stays crisp when scaled to the column.
  canvas.width = 960;
  canvas.height = 320;
  canvas.classList.remove('pixelated');
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#1c1411';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#f5a623';
  ctx.textAlign = 'center';
  ctx.font = 'bold 68px system-ui, sans-serif';
  ctx.fillText(headline, canvas.width / 2, 144, canvas.width - 40);
  ctx.fillStyle = '#d8cfc4';
  ctx.font = '36px system-ui, sans-serif';
  ctx.fillText(detail, canvas.width / 2, 232, canvas.width - 40);
  return detail ? `${headline}: ${detail}` : headline;
}
