import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../../../shared/commands/command-context.js';
import type { EstablishPartnershipDto } from './establish-partnership.dto.js';

export class EstablishPartnershipCommand extends Command<CommandOutcome> {
  constructor(
    readonly body: EstablishPartnershipDto,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
