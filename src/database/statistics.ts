import type { DataSource } from 'typeorm';

/**
 * Analyzes those of `tables` (in `public`) whose statistics are missing or behind: more than
 * max(1,000, 10%) of their rows changed since their last analyze. Answers the tables it
 * analyzed. `skip_locked`: a table another session is analyzing is left to it.
 *
 * Autovacuum does the same, but only once a minute at best, and not at all where it is off. Until
 * then the planner takes a read model that grew from nothing to tens of thousands of rows during a
 * catch-up for the empty table it was when its prepared statements were planned: the partnerships
 * projection replaced a fact's links with a sequential scan of all of them (70 to 100 ms a batch at
 * 48k links, auto_explain). An analyze makes PostgreSQL plan those statements again.
 */
export async function analyzeIfStale(db: DataSource, tables: readonly string[]): Promise<string[]> {
  const stale: { name: string }[] = await db.query(
    `select c.relname as name from pg_class c left join pg_stat_user_tables t on t.relid = c.oid
      where c.oid = any($1::regclass[])
        and (c.reltuples < 0 or coalesce(t.n_mod_since_analyze, 0) > greatest(1000, c.reltuples * 0.1))
      order by c.relname`,
    [tables.map((t) => `public.${t}`)],
  );
  for (const { name } of stale) await db.query(`analyze (skip_locked) public."${name.replace(/"/g, '""')}"`);
  return stale.map((s) => s.name);
}
