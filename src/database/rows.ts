/**
 * TypeORM answers an UPDATE or DELETE as `[rows, rowCount]` and every other statement as its
 * rows. This gives the rows of a `... returning` statement whatever its kind.
 */
export async function returning<T = any>(db: { query(sql: string, params?: unknown[]): Promise<any> }, sql: string, params: unknown[] = []): Promise<T[]> {
  const result = await db.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0];
  return result;
}
