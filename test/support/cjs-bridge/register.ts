/**
 * setupFilesAfterEnv: for test files that start the app, loads @nestjs/common, @nestjs/core and
 * content-disposition (ESM) first and hands them to CommonJS packages through resolver.cjs.
 * Unit specs skip it, so they pay nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The entry file of `dependency` as `dependent` finds it: its own node_modules first, then the
 * project's (found by hand: a require.resolve from there would be answered by resolver.cjs).
 */
function nestedEntry(dependent: string, dependency: string): string {
  const from = dirname(createRequire(import.meta.url).resolve(`${dependent}/package.json`));
  const dirs = [join(from, 'node_modules', dependency), join(from, ...dependent.split('/').map(() => '..'), dependency)];
  for (const dir of dirs) {
    if (!existsSync(join(dir, 'package.json'))) continue;
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { exports?: unknown; main?: string };
    return join(dir, typeof pkg.exports === 'string' ? pkg.exports : (pkg.main ?? 'index.js'));
  }
  throw new Error(`${dependency} not found from ${dependent}`);
}

const testPath = expect.getState().testPath ?? '';
if (testPath.endsWith('.e2e-spec.ts')) {
  (globalThis as { __ententeEsmForCjs?: Record<string, unknown> }).__ententeEsmForCjs = {
    '@nestjs/common': await import('@nestjs/common'),
    '@nestjs/core': await import('@nestjs/core'),
    // the copy @fastify/static requires (the dashboard's files and the OpenAPI UI's)
    'content-disposition': await import(pathToFileURL(nestedEntry('@fastify/static', 'content-disposition')).href),
  };
}
