import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('has defaults that run on the embedded database', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ databaseUrl: null, port: 3000, logLevel: 'info', authTokens: [], seed: true });
  });

  it('reads a replica URL and the readiness lag bound', () => {
    expect(loadConfig({})).toMatchObject({ databaseReadUrl: null, readyMaxLagSeconds: 60 });
    const c = loadConfig({ DATABASE_URL: 'postgres://a@primary/db', DATABASE_READ_URL: 'postgres://a@replica/db', READY_MAX_LAG_SECONDS: '0' });
    expect(c).toMatchObject({ databaseUrl: 'postgres://a@primary/db', databaseReadUrl: 'postgres://a@replica/db', readyMaxLagSeconds: 0 });
  });

  it('runs the projections in a worker thread unless told otherwise', () => {
    expect(loadConfig({})).toMatchObject({ projections: true, projectionThread: 'worker' });
    expect(loadConfig({ PROJECTIONS_THREAD: 'Main ' })).toMatchObject({ projectionThread: 'main' });
    expect(loadConfig({ PROJECTIONS: 'false', PROJECTIONS_THREAD: 'worker' })).toMatchObject({ projections: false });
  });

  it('reads role:token pairs', () => {
    const c = loadConfig({ AUTH_TOKENS: 'admin:s3cret, recorder:r3c,viewer:v1ew,auditor:aud1t,viewer:an0ther' });
    expect(c.authTokens.map((t) => [t.role, t.token, t.label])).toEqual([
      ['admin', 's3cret', 'env-admin'],
      ['recorder', 'r3c', 'env-recorder'],
      ['viewer', 'v1ew', 'env-viewer'],
      ['auditor', 'aud1t', 'env-auditor'],
      ['viewer', 'an0ther', 'env-viewer-2'],
    ]);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ AUTH_TOKENS: 'root:abcd' }, 'AUTH_TOKENS'],
    [{ AUTH_TOKENS: 'admin' }, 'AUTH_TOKENS'],
    [{ AUTH_TOKENS: 'admin:abcd,viewer:abcd' }, 'AUTH_TOKENS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ SEED: 'maybe' }, 'SEED'],
    [{ PROJECTIONS_THREAD: 'fork' }, 'PROJECTIONS_THREAD'],
    [{ DATABASE_URL: 'postgres://a@b/c', DATABASE_READ_URL: 'http://x/y' }, 'DATABASE_READ_URL'],
    [{ DATABASE_READ_URL: 'postgres://a@replica/c' }, 'DATABASE_READ_URL'],
    [{ READY_MAX_LAG_SECONDS: '-1' }, 'READY_MAX_LAG_SECONDS'],
  ])('stops on %p naming %s', (env, variable) => {
    let error: unknown;
    try {
      loadConfig(env as NodeJS.ProcessEnv);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as ConfigError).message.startsWith(`${variable}: `)).toBe(true);
  });
});
