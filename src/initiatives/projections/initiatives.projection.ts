import { Injectable } from '@nestjs/common';
import type { StoredEvent } from '../../event-store/event.types.js';
import type { Projection, ProjectionTx } from '../../projections/projection.js';

/** TODO(read model): the initiatives read model. */
@Injectable()
export class InitiativesProjection implements Projection {
  readonly name = 'initiatives';
  readonly handles: string[] = [];
  readonly tables: string[] = [];

  async apply(_event: StoredEvent, _tx: ProjectionTx): Promise<void> {}
}
