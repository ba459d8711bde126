import type { TestApp } from './app.js';

/** Registers a party through the API and answers its id. */
export async function registerParty(t: TestApp, name: string, kind = 'international_organization', extra: object = {}): Promise<string> {
  const res = await t.http.post('/api/v1/parties').set('Authorization', t.as('recorder').auth).send({ name, kind, ...extra });
  if (res.status !== 201) throw new Error(`register ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export async function eventCount(t: TestApp): Promise<number> {
  const [{ n }] = await t.ds.query(`select count(*)::int as n from events`);
  return n;
}

/** POSTs a command as the recorder; answers the supertest response. */
export function send(t: TestApp, path: string, body: unknown, headers: Record<string, string> = {}) {
  const req = t.http.post(`/api/v1${path}`).set('Authorization', t.as('recorder').auth);
  for (const [k, v] of Object.entries(headers)) req.set(k, v);
  return req.send(body as object);
}
