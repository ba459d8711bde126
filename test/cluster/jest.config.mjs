// The cluster test's own Jest run (`npm run test:cluster`): the same transform, set-up and
// database as `npm test` (package.json "jest"), but only test/cluster/, one file at a time.
// `npm test` leaves test/cluster/ out (testPathIgnorePatterns): it starts three service
// processes and waits out a projection lease, which the quick suite should not.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const base = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).jest;

export default {
  ...base,
  rootDir: fileURLToPath(new URL('../..', import.meta.url)),
  roots: ['<rootDir>/test'],
  testMatch: ['<rootDir>/test/cluster/**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  maxWorkers: 1,
  testTimeout: 300000,
};
