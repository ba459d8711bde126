import { uuidFromNames } from '../shared/ids.js';

/** A partnership's id is derived from its pair, so it is the same in every rebuild. */
export function partnershipId(a: string, b: string): string {
  const [x, y] = [a, b].sort();
  return uuidFromNames('partnership', x, y);
}
