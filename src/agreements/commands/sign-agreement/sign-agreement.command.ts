import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../../../shared/commands/command-context.js';
import type { SignAgreementDto } from './sign-agreement.dto.js';

export class SignAgreementCommand extends Command<CommandOutcome> {
  constructor(
    readonly body: SignAgreementDto,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
