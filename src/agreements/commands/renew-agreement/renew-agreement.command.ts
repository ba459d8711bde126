import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../../../shared/commands/command-context.js';
import type { RenewAgreementDto } from './renew-agreement.dto.js';

export class RenewAgreementCommand extends Command<CommandOutcome> {
  constructor(
    readonly agreementId: string,
    readonly body: RenewAgreementDto,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
