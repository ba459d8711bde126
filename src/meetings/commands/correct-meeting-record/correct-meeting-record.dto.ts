import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, ValidateBy, ValidateIf, ValidateNested } from 'class-validator';
import { EnumField, IdListField, NestedListField, PartialDateField, Text, TextListField } from '../../../shared/validation.js';
import { MEETING_FORMATS, type MeetingFormat } from '../../meeting.events.js';
import { ParticipantDto } from '../record-meeting/record-meeting.dto.js';

/**
 * A field every record must have (occurredOn, format, partyIds, topics): it may be left out of
 * a correction, but `null` would erase it, so null is validated and refused like any bad value.
 */
const MayChange = () => applyDecorators(ValidateIf((_, v) => v !== undefined), ApiPropertyOptional({ nullable: false }));

/**
 * The fields of RecordMeeting a correction may change, each optional; commitments are not
 * among them (they live in their own streams). `null` clears a field that a record may lack.
 * Decorators apply bottom-up, so MayChange sits above the field's own rules to mark it optional.
 */
export class MeetingChangesDto {
  @MayChange()
  @PartialDateField()
  occurredOn?: string;

  @MayChange()
  @EnumField(MEETING_FORMATS)
  format?: MeetingFormat;

  @Text(300, { optional: true, description: 'null clears it.' })
  location?: string | null;

  @Text(500, { optional: true, description: 'null clears it.', example: 'Virtual conference with the UN High Representative for the Alliance of Civilizations' })
  title?: string | null;

  @MayChange()
  @IdListField({ min: 2, max: 50, description: 'Two or more distinct registered parties.' })
  partyIds?: string[];

  @NestedListField(() => ParticipantDto, { optional: true, max: 200, description: 'The whole list as it should be; null clears it.' })
  participants?: ParticipantDto[] | null;

  @MayChange()
  @TextListField({ min: 1, max: 50, itemMax: 500, description: 'The whole list as it should be.' })
  topics?: string[];

  @Text(10000, { optional: true, description: 'null clears it.' })
  summary?: string | null;

  @TextListField({ optional: true, max: 50, itemMax: 2000, description: 'The whole list as it should be; null clears it.' })
  outcomes?: string[] | null;

  @Text(1000, { optional: true, description: 'null clears it.' })
  sourceRef?: string | null;
}

export class CorrectMeetingRecordDto {
  @Text(2000, { description: 'Why the record was wrong; kept in the audit trail.', example: 'The article wrote UNHCR; the High Representative is that of UNAOC.' })
  reason: string;

  @ApiProperty({ type: () => MeetingChangesDto, description: 'Only the fields to change, with their right values; at least one.' })
  @IsObject({ message: 'changes must be an object of the fields to change' })
  @ValidateBy({
    name: 'changesSomething',
    validator: {
      // Unknown fields count here: they get their own error (`changes.commitments`) from the whitelist.
      validate: (v) => v === null || typeof v !== 'object' || Object.values(v as object).some((x) => x !== undefined),
      defaultMessage: () => 'changes must name at least one field to change',
    },
  })
  @ValidateNested()
  @Type(() => MeetingChangesDto)
  changes: MeetingChangesDto;
}
