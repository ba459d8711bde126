import { EventRegistry } from './event-registry.js';

describe('EventRegistry.fingerprint: what decides the shape events are read in', () => {
  const v2 = { type: 'AppointmentEnded', version: 2, upcasters: { 1: (d: object) => ({ ...d, title: null }) } };
  const other = { type: 'PartyRegistered', version: 1 };

  it('is the same for the same types, versions and upcasters, in any order', () => {
    expect(new EventRegistry([v2, other]).fingerprint()).toBe(new EventRegistry([other, v2]).fingerprint());
  });

  it('changes with a version, a new type, or an upcaster whose code changed', () => {
    const base = new EventRegistry([v2, other]).fingerprint();
    const v3 = { ...v2, version: 3, upcasters: { ...v2.upcasters, 2: (d: object) => d } };
    expect(new EventRegistry([v3, other]).fingerprint()).not.toBe(base);
    expect(new EventRegistry([v2, other, { type: 'ForumAnnounced', version: 1 }]).fingerprint()).not.toBe(base);
    const edited = { ...v2, upcasters: { 1: (d: object) => ({ ...d, title: 'untitled' }) } };
    expect(new EventRegistry([edited, other]).fingerprint()).not.toBe(base);
  });
});
