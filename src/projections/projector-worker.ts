import 'reflect-metadata';
import { parentPort, workerData } from 'node:worker_threads';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { NEST_LEVELS } from '../logging/logging.module.js';
import { ProjectionRunner } from './projection-runner.js';
import { ProjectorModule } from './projector.module.js';
import type { ProjectorData, ProjectorMessage, ToProjector } from './projector-thread.js';

/**
 * The projector thread: the projections of this process, in a worker thread with an event loop
 * of its own (started and supervised by ProjectorThread). It answers `ready` with its runner's
 * instance id once the runner has started, wakes the runner on `wake`, and on `stop` stops it at
 * a batch boundary, hands its leases over and closes its pool before it answers `stopped`.
 */
async function run(port: NonNullable<typeof parentPort>): Promise<void> {
  const { config, databaseUrl } = workerData as ProjectorData;
  const app = await NestFactory.createApplicationContext(ProjectorModule.forRoot(config, databaseUrl), {
    logger: NEST_LEVELS[config.logLevel],
    bufferLogs: true,
    // a failed start is thrown (and reported to the main thread), not a process.exit of Nest's
    abortOnError: false,
  });
  app.useLogger(app.get(PinoNestLogger));
  const runner = app.get(ProjectionRunner);
  const send = (m: ProjectorMessage) => port.postMessage(m);
  let closing: Promise<void> | null = null;
  port.on('message', (m: ToProjector) => {
    if (m.type === 'wake') runner.wake();
    else if (m.type === 'stop') {
      closing ??= app.close().then(
        () => {
          send({ type: 'stopped' });
          port.close();
        },
        (err: unknown) => {
          send({ type: 'stopped', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
          port.close();
        },
      );
    }
  });
  send({ type: 'ready', instanceId: runner.instanceId });
}

if (!parentPort) throw new Error('projector-worker.js runs as a worker thread (ProjectorThread), not on its own');
const port = parentPort;
// A failed start is left uncaught: it ends the thread (and whatever the start left open) with
// exit code 1, and reaches ProjectorThread as the Worker's 'error' event, with its stack.
await run(port);
