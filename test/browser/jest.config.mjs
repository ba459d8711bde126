// The browser tests' own Jest run (`npm run test:browser`): the same transform, set-up and
// database as `npm test` (package.json "jest"), but only test/browser/, one file at a time.
// `npm test` leaves test/browser/ out (testPathIgnorePatterns), as it needs Chromium.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const base = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).jest;

export default {
  ...base,
  rootDir: fileURLToPath(new URL('../..', import.meta.url)),
  roots: ['<rootDir>/test'],
  testMatch: ['<rootDir>/test/browser/**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  maxWorkers: 1,
  testTimeout: 120000,
};
