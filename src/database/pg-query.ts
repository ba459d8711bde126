import { DataSource, type QueryRunner } from 'typeorm';

export interface PgResult<R = any> {
  command: string;
  rows: R[];
  rowCount: number | null;
}

export interface PgStatement {
  text: string;
  values?: unknown[];
  /** a prepared statement's name: PostgreSQL parses and plans it once per connection */
  name?: string;
}

/** What pg's Client and Pool have in common: `query(config, callback)`. */
export interface PgQueryable {
  query(config: PgStatement, callback: (err: Error | null, result: PgResult) => void): unknown;
}

/**
 * Sends a statement through pg's callback form and answers its result.
 *
 * pg's promise form (`client.query(config)` without a callback, which TypeORM's query runners
 * use) made every large read cost more than twice the CPU, nearly all of it garbage collection:
 * 100 pages of 1,000 events took 1.34 s of CPU that way and 0.54 s through the callback, on the
 * same client and statement (measured in a process of its own for each, three runs each; a
 * second promise of our own around the callback changes nothing). Hot paths (the log reader,
 * projection steps, rebuild batches, appends) go through here.
 */
export async function pgQuery<R = any>(client: PgQueryable, statement: PgStatement): Promise<PgResult<R>> {
  try {
    return await send<R>(client, statement);
  } catch (err) {
    // A driver error's stack leads to the socket: it gets the callers awaiting this one instead
    // (V8's async frames, `at async EventStore.append ...`), taken only now that it failed. Taken
    // up front for every statement, the stack was 4% of the service's CPU under RecordMeeting.
    const caller: { stack?: string } = {};
    Error.captureStackTrace(caller, pgQuery);
    const frames = caller.stack?.slice(caller.stack.indexOf('\n') + 1);
    if (err instanceof Error && frames) err.stack = `${err.name}: ${err.message}\n${frames}`;
    throw err;
  }
}

function send<R>(client: PgQueryable, statement: PgStatement): Promise<PgResult<R>> {
  return new Promise((resolve, reject) => {
    client.query(statement, (err, result) => (err ? reject(err) : resolve(result as PgResult<R>)));
  });
}

/**
 * The pg client or pool under a TypeORM query runner (once connected) or data source; undefined
 * for anything else (a test double), whose own `query` the caller then uses.
 */
export function pgClientOf(q: DataSource | QueryRunner | object): PgQueryable | undefined {
  if (q instanceof DataSource) return (q.driver as unknown as { master?: PgQueryable }).master;
  return (q as { databaseConnection?: PgQueryable }).databaseConnection;
}

/**
 * The rows of a statement on a data source or query runner, through `pgQuery` when it can (named:
 * a prepared statement); on anything else, through its own `query`.
 */
export async function queryRows<R = any>(
  q: DataSource | QueryRunner | { query(text: string, values?: unknown[]): Promise<any> },
  text: string,
  values: unknown[] = [],
  name?: string,
): Promise<R[]> {
  const client = pgClientOf(q);
  return client ? (await pgQuery<R>(client, { name, text, values })).rows : q.query(text, values);
}
