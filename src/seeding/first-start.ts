import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { Config } from '../config/config.js';
import { SeedLoader, type SeedSummary } from './seed-loader.js';

export type FirstStartSeeding =
  | { seeded: false; reason: 'disabled' | 'log-not-empty' }
  | { seeded: true; summary: SeedSummary };

/** Where the one progress line goes: a terminal gets it rewritten in place, a log gets it once. */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

const LINE = 'Seeding the recorded history';

/**
 * On a first start (an empty log, SEED not false) loads the recorded history, so that a new
 * install shows real data; main.ts calls it before it announces where it listens. A log that
 * holds anything, seeded or not, is left alone: re-running a partial load is `npm run seed`.
 */
export async function seedOnFirstStart(app: INestApplicationContext, out: ProgressOutput = process.stdout): Promise<FirstStartSeeding> {
  const config = app.get<Config>(APP_CONFIG);
  if (!config.seed) return { seeded: false, reason: 'disabled' };
  const [{ empty }] = await app.get(DataSource).query(`select not exists (select 1 from events) as empty`);
  if (!empty) return { seeded: false, reason: 'log-not-empty' };

  const summary = await app.get(SeedLoader).load({
    onProgress: ({ done, total }) => {
      if (out.isTTY) out.write(`\r${LINE}: ${done}/${total} steps`);
    },
  });
  const tail = `${summary.steps}/${summary.steps} steps, ${summary.eventsWritten} events (SEED=false skips this)`;
  out.write(out.isTTY ? `\r${LINE}: ${tail}\n` : `${LINE}: ${tail}\n`);
  return { seeded: true, summary };
}
