// Throughput of one replica against two behind nginx (deploy/nginx.conf), each with one kernel
// thread, on the same mix: 16 visitors (loopback addresses) each running the book's Julia case
// (simd) and a 512² diffusion of 100 steps in turn for 20 s, over HTTPS to nginx (TLS
// terminated there, as deployed). Runs per second answered 200.
// `node bench/replicas.mjs` after `cargo xtask build`; needs Debian's nginx.
import { freePort } from '../e2e/harness.mjs';
import { startReplica, startNginx, request, makeCerts } from '../deploy/replicas.mjs';

const SECONDS = Number(process.argv[2] ?? 20);
const MIX = [['julia', '{"threads": 1}'], ['diffusion', '{"threads": 1, "width": 512, "height": 512, "steps": 100}']];

async function load(base) {
  const stop = Date.now() + SECONDS * 1000;
  const statuses = {};
  await Promise.all(Array.from({ length: 16 }, async (_, i) => {
    let k = i;
    while (Date.now() < stop) {
      const [w, body] = MIX[k++ % MIX.length];
      const r = await request('POST', `${base}/api/${w}`, { body, localAddress: `127.0.0.${100 + i}` }).catch(() => ({ status: 0 }));
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      if (r.status !== 200) await new Promise((d) => setTimeout(d, 50));
    }
  }));
  return { rate: (statuses[200] ?? 0) / SECONDS, statuses };
}

for (const n of [1, 2]) {
  const ports = await Promise.all(Array.from({ length: n }, () => freePort()));
  const replicas = await Promise.all(ports.map((p, i) => startReplica(`r${i + 1}`, p)));
  const [listen, plain] = [await freePort(), await freePort()];
  const proxy = await startNginx(ports, listen, plain, makeCerts());
  const { rate, statuses } = await load(`https://127.0.0.1:${listen}`);
  console.log(`${n} replica${n > 1 ? 's' : ''} behind nginx, --threads 1 each: ${rate.toFixed(1)} runs/s answered 200 (statuses ${JSON.stringify(statuses)})`);
  await proxy.stop();
  for (const r of replicas) await r.stop();
}
