import { Body, Controller, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../../../shared/http/http-types.js';
import { Access } from '../../../shared/auth/access.js';
import type { CommandContext } from '../../../shared/commands/command-context.js';
import { CommandCtx } from '../../../shared/http/command-context.decorator.js';
import { sendOutcome } from '../../../shared/http/command-response.js';
import { RecordMeetingCommand } from './record-meeting.command.js';
import { RecordMeetingDto } from './record-meeting.dto.js';

@ApiTags('meetings')
@ApiBearerAuth()
@Controller('meetings')
export class RecordMeetingController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Access('write')
  @ApiOperation({ summary: 'RecordMeeting (MeetingRecorded, and CommitmentMade for each commitment)' })
  async record(@Body() body: RecordMeetingDto, @CommandCtx() ctx: CommandContext, @Res({ passthrough: true }) res: HttpReply) {
    const outcome = await this.commands.execute(new RecordMeetingCommand(body, ctx));
    return sendOutcome(res, outcome, (id) => `/api/v1/meetings/${id}`);
  }
}
