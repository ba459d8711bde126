import { Agent, request } from 'node:http';

export { Agent };

export interface OpenLoopResult {
  /** per request: answered minus scheduled, ms */
  latencies: number[];
  /** requests answered per second over the run */
  achieved: number;
  failures: string[];
}

const now = () => Number(process.hrtime.bigint()) / 1e6;

/**
 * Requests at a fixed rate, evenly spaced (open loop): request i is due at start + i/rate and is
 * sent then whatever the earlier ones are doing, on a keep-alive pool. Its latency runs from when
 * it was due, not from when it left, so a stall of the service (or of this process) counts
 * against every request it delays (no coordinated omission).
 *
 * Why not autocannon's `overallRate`: autocannon limits each connection to its share per
 * one-second window, so every connection sends its share back to back at the start of each
 * second and waits for the next: 200/s arrives as a burst of 200, and the latencies are those of
 * the burst.
 */
export async function openLoop(
  url: string,
  options: { rate: number; seconds: number; headers?: Record<string, string>; method?: string; body?: string; agent?: Agent },
): Promise<OpenLoopResult> {
  const target = new URL(url);
  // Pass the warm-up's agent to the measured run: its connections are open already.
  const agent = options.agent ?? new Agent({ keepAlive: true, maxSockets: 64 });
  const total = Math.round(options.rate * options.seconds);
  const latencies: number[] = [];
  const failures: string[] = [];
  const pending: Promise<void>[] = [];
  const send = (due: number) =>
    new Promise<void>((resolve) => {
      const req = request(
        { agent, host: target.hostname, port: target.port, path: target.pathname + target.search, method: options.method ?? 'GET', headers: options.headers },
        (res) => {
          res.on('data', () => undefined);
          res.on('end', () => {
            if (res.statusCode && res.statusCode < 300) latencies.push(now() - due);
            else failures.push(`${res.statusCode}`);
            resolve();
          });
        },
      );
      req.on('error', (err) => {
        failures.push(err.message);
        resolve();
      });
      req.end(options.body);
    });
  const start = now();
  let sent = 0;
  while (sent < total) {
    const t = now();
    // every request due by now leaves now; then sleep until the next one is due
    while (sent < total && start + (sent * 1000) / options.rate <= t) {
      pending.push(send(start + (sent * 1000) / options.rate));
      sent++;
    }
    const wait = start + (sent * 1000) / options.rate - now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await Promise.all(pending);
  const achieved = latencies.length / ((now() - start) / 1000);
  if (!options.agent) agent.destroy();
  return { latencies, achieved, failures };
}
