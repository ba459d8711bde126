import { SetMetadata } from '@nestjs/common';
import type { Role } from '../../config/config.js';

/**
 * What a route needs. `viewer` reads projections; `recorder` reads and sends commands;
 * `auditor` reads projections and the audit endpoints; `admin` does everything.
 */
export type Capability = 'read' | 'write' | 'audit' | 'admin';

export const CAPABILITIES: Record<Role, readonly Capability[]> = {
  viewer: ['read'],
  recorder: ['read', 'write'],
  auditor: ['read', 'audit'],
  admin: ['read', 'write', 'audit', 'admin'],
};

export const ACCESS_KEY = 'entente:access';
export const PUBLIC_KEY = 'entente:public';

/** The capability a route needs; routes without one are admin-only. */
export const Access = (capability: Capability) => SetMetadata(ACCESS_KEY, capability);
/** No token needed (health, metrics, docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export interface Principal {
  tokenId: string;
  label: string;
  role: Role;
}
