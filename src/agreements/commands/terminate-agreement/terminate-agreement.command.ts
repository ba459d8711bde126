import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../../../shared/commands/command-context.js';
import type { TerminateAgreementDto } from './terminate-agreement.dto.js';

export class TerminateAgreementCommand extends Command<CommandOutcome> {
  constructor(
    readonly agreementId: string,
    readonly body: TerminateAgreementDto,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
