// Latency of GET /api/info while the compute queue is full of heavy runs (a figure, not a
// test): starts the release server with --queue 4, keeps 1 running + 4 waiting reference Julia
// runs (and more that get 503), and times N info requests. `node tests/bench/info-latency.mjs`
import { startServer } from '../e2e/harness.mjs';

const N = Number(process.env.N || 400);
const server = await startServer(['--queue', '4', '--timeout', '60']);
const heavy = JSON.stringify({ variant: 'reference', threads: 1, width: 4096, height: 4096, max_iter: 1000 });
const abort = new AbortController();
const post = () => fetch(`${server.url}/api/julia`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: heavy, signal: abort.signal })
  .then((r) => r.status).catch(() => 'error');
const flood = Array.from({ length: 8 }, post);
await new Promise((r) => setTimeout(r, 500));
const times = [];
let full = 0;
for (let i = 0; i < N; i++) {
  const t = performance.now();
  const info = await fetch(`${server.url}/api/info`).then((r) => r.json());
  times.push(performance.now() - t);
  if (info.queue.waiting === 4 && info.queue.running === 1) full++;
}
times.sort((a, b) => a - b);
const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(3);
console.log(`GET /api/info × ${N} with the queue full (${full}/${N} samples saw 1 running + 4 waiting): p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${q(1)} ms`);
abort.abort(); // the server cancels the runs of clients that went away
console.log('statuses of the flood:', (await Promise.all(flood)).join(' '));
await server.stop();
