import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../../../shared/http/http-types.js';
import { Access } from '../../../shared/auth/access.js';
import type { CommandContext } from '../../../shared/commands/command-context.js';
import { CommandCtx } from '../../../shared/http/command-context.decorator.js';
import { sendOutcome } from '../../../shared/http/command-response.js';
import { IdParam } from '../../../shared/http/id-param.pipe.js';
import { CorrectMeetingRecordCommand } from './correct-meeting-record.command.js';
import { CorrectMeetingRecordDto } from './correct-meeting-record.dto.js';

@ApiTags('meetings')
@ApiBearerAuth()
@Controller('meetings')
export class CorrectMeetingRecordController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/corrections')
  @Access('write')
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version last seen ("1"); 412 when the meeting record has moved on.' })
  @ApiOperation({ summary: 'CorrectMeetingRecord: a later event that fixes the record and keeps the former values (MeetingRecordCorrected)' })
  async correct(
    @Param('id', IdParam) id: string,
    @Body() body: CorrectMeetingRecordDto,
    @CommandCtx() ctx: CommandContext,
    @Res({ passthrough: true }) res: HttpReply,
  ) {
    const outcome = await this.commands.execute(new CorrectMeetingRecordCommand(id, body, ctx));
    return sendOutcome(res, outcome, (x) => `/api/v1/meetings/${x}`);
  }
}
