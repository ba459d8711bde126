import { Injectable } from '@nestjs/common';
import { EventStore } from '../../event-store/event-store.js';
import { AppError, type FieldError } from '../errors.js';

export interface Reference {
  /** the body field that names it, as the client wrote it: `participants[0].personId` */
  field: string;
  id: string;
  /** the stream type it must name: `party`, `person`, `forum` ... */
  type: string;
}

const NOUN: Record<string, string> = { party: 'party', person: 'person', forum: 'forum', meeting: 'meeting' };

/** Ids in a body must name registered things: 422 naming each field that does not. */
@Injectable()
export class ReferenceChecker {
  constructor(private readonly store: EventStore) {}

  async require(refs: Reference[]): Promise<void> {
    if (refs.length === 0) return;
    const found = await this.store.streamTypes(refs.map((r) => r.id));
    const errors: FieldError[] = [];
    for (const r of refs) {
      const type = found.get(r.id);
      if (type !== r.type) errors.push({ field: r.field, message: `names no registered ${NOUN[r.type] ?? r.type} (${r.id})` });
    }
    if (errors.length) throw AppError.unknownReferences(errors);
  }
}

/** References for a list of ids in one field: `partyIds[0]`, `partyIds[1]` ... */
export function refsOf(field: string, type: string, ids: readonly string[] | undefined | null): Reference[] {
  return (ids ?? []).map((id, i) => ({ field: `${field}[${i}]`, id, type }));
}
