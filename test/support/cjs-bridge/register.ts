/**
 * setupFilesAfterEnv: for test files that start the app, loads @nestjs/common and @nestjs/core
 * (ESM) first and hands them to CommonJS packages through resolver.cjs. Unit specs skip it, so
 * they pay nothing.
 */
const testPath = expect.getState().testPath ?? '';
if (testPath.endsWith('.e2e-spec.ts')) {
  (globalThis as { __ententeEsmForCjs?: Record<string, unknown> }).__ententeEsmForCjs = {
    '@nestjs/common': await import('@nestjs/common'),
    '@nestjs/core': await import('@nestjs/core'),
  };
}
export {};
