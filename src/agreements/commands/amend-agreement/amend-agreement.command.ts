import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../../../shared/commands/command-context.js';
import type { AmendAgreementDto } from './amend-agreement.dto.js';

export class AmendAgreementCommand extends Command<CommandOutcome> {
  constructor(
    readonly agreementId: string,
    readonly body: AmendAgreementDto,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
