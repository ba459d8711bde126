import { HISTORY, planStep } from '../../seeds/seed-plan.js';
import type { TestApp } from './app.js';

/**
 * Records the whole seeded history through the HTTP API as the recorder; answers the ids it
 * created (by seed key) and the position of the last command.
 */
export async function recordHistory(t: TestApp, role: 'recorder' | 'admin' = 'recorder'): Promise<{ ids: Map<string, string>; last: string }> {
  const ids = new Map<string, string>();
  let last = '0';
  for (const [i, step] of HISTORY.entries()) {
    const planned = planStep(step, i, ids);
    const res = await t.http.post(`/api/v1${planned.path}`).set('Authorization', t.as(role).auth).set('Idempotency-Key', planned.idempotencyKey).send(planned.body);
    if (res.status !== 200 && res.status !== 201) throw new Error(`step ${i + 1} ${step.command}: ${res.status} ${JSON.stringify(res.body)}`);
    last = res.body.position;
    if (!step.key) continue;
    if (step.command === 'AppointPerson') {
      const [e] = await t.ds.query(`select data->>'appointmentId' as id from events where global_position = $1`, [last]);
      ids.set(step.key, e.id);
    } else {
      ids.set(step.key, res.body.id);
    }
  }
  return { ids, last };
}
