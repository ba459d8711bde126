// A stand-in for src/projections/projector-worker.ts in test/projector-thread.e2e-spec.ts: it
// speaks the same messages, and misbehaves as told, so that ProjectorThread's supervision (a
// failed start, a start that hangs, a crash, a stop that is never answered) is tested on real
// worker threads. workerData.databaseUrl carries "<scenario>|<file>": each start appends a
// line "start" to the file, each wake a line "wake".
import { appendFileSync, readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

const [scenario, file] = String(workerData.databaseUrl).split('|');
appendFileSync(file, 'start\n');
const starts = readFileSync(file, 'utf8').split('\n').filter((l) => l === 'start').length;

if (scenario === 'fail-at-start') throw new Error('cannot reach the database (fixture)');
if (scenario === 'hang-at-start') {
  setInterval(() => undefined, 1000);
} else {
  parentPort.on('message', (m) => {
    if (m.type === 'wake') appendFileSync(file, 'wake\n');
    if (m.type === 'stop' && scenario !== 'ignore-stop') parentPort.postMessage({ type: 'stopped' });
  });
  parentPort.postMessage({ type: 'ready', instanceId: `fixture:${starts}` });
  const crash = scenario === 'always-crash' || (scenario === 'crash-once' && starts === 1);
  if (crash) setTimeout(() => { throw new Error(`boom ${starts} (fixture)`); }, 50);
}
