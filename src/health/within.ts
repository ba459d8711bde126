/**
 * Rejects after `ms` unless `work` settles first; the work itself is left to finish or fail on
 * its own (its late error is swallowed). Health checks and scrapes answer in bounded time this
 * way whether the database answers or not.
 */
export function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the database did not answer within ${ms} ms`)), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
