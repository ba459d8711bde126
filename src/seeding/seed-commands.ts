import type { Type } from '@nestjs/common';
import type { Command } from '@nestjs/cqrs';
import type { SeedCommand } from '../../seeds/history.js';
import { SignAgreementCommand } from '../agreements/commands/sign-agreement/sign-agreement.command.js';
import { SignAgreementDto } from '../agreements/commands/sign-agreement/sign-agreement.dto.js';
import { AnnounceForumCommand } from '../forums/commands/announce-forum/announce-forum.command.js';
import { AnnounceForumDto } from '../forums/commands/announce-forum/announce-forum.dto.js';
import { PostponeForumCommand } from '../forums/commands/postpone-forum/postpone-forum.command.js';
import { PostponeForumDto } from '../forums/commands/postpone-forum/postpone-forum.dto.js';
import { RecordForumHeldCommand } from '../forums/commands/record-forum-held/record-forum-held.command.js';
import { RecordForumHeldDto } from '../forums/commands/record-forum-held/record-forum-held.dto.js';
import { LaunchInitiativeCommand } from '../initiatives/commands/launch-initiative/launch-initiative.command.js';
import { LaunchInitiativeDto } from '../initiatives/commands/launch-initiative/launch-initiative.dto.js';
import { CorrectMeetingRecordCommand } from '../meetings/commands/correct-meeting-record/correct-meeting-record.command.js';
import { CorrectMeetingRecordDto } from '../meetings/commands/correct-meeting-record/correct-meeting-record.dto.js';
import { RecordMeetingCommand } from '../meetings/commands/record-meeting/record-meeting.command.js';
import { RecordMeetingDto } from '../meetings/commands/record-meeting/record-meeting.dto.js';
import { RegisterPartyCommand } from '../parties/commands/register-party/register-party.command.js';
import { RegisterPartyDto } from '../parties/commands/register-party/register-party.dto.js';
import { RenamePartyCommand } from '../parties/commands/rename-party/rename-party.command.js';
import { RenamePartyDto } from '../parties/commands/rename-party/rename-party.dto.js';
import { EstablishPartnershipCommand } from '../partnerships/commands/establish-partnership/establish-partnership.command.js';
import { EstablishPartnershipDto } from '../partnerships/commands/establish-partnership/establish-partnership.dto.js';
import { AppointPersonCommand } from '../people/commands/appoint-person/appoint-person.command.js';
import { AppointPersonDto } from '../people/commands/appoint-person/appoint-person.dto.js';
import { EndAppointmentCommand } from '../people/commands/end-appointment/end-appointment.command.js';
import { EndAppointmentDto } from '../people/commands/end-appointment/end-appointment.dto.js';
import { RegisterPersonCommand } from '../people/commands/register-person/register-person.command.js';
import { RegisterPersonDto } from '../people/commands/register-person/register-person.dto.js';
import type { CommandContext, CommandOutcome } from '../shared/commands/command-context.js';

/** The ids a step's command acts on, resolved from earlier steps. */
export interface SeedTarget {
  target: string;
  appointment: string;
}

export interface SeedCommandSpec {
  /** the DTO the controller validates the body with; the seeds are validated with it too */
  dto: Type<object>;
  /** the command the controller dispatches, built the same way */
  build(body: any, to: SeedTarget, ctx: CommandContext): Command<CommandOutcome>;
}

/** Each seed command as its controller sends it to the CommandBus. */
export const SEED_COMMANDS: Record<SeedCommand, SeedCommandSpec> = {
  RegisterParty: { dto: RegisterPartyDto, build: (b, _, ctx) => new RegisterPartyCommand(b, ctx) },
  RenameParty: { dto: RenamePartyDto, build: (b, to, ctx) => new RenamePartyCommand(to.target, b, ctx) },
  RegisterPerson: { dto: RegisterPersonDto, build: (b, _, ctx) => new RegisterPersonCommand(b, ctx) },
  AppointPerson: { dto: AppointPersonDto, build: (b, to, ctx) => new AppointPersonCommand(to.target, b, ctx) },
  EndAppointment: { dto: EndAppointmentDto, build: (b, to, ctx) => new EndAppointmentCommand(to.target, to.appointment, b, ctx) },
  EstablishPartnership: { dto: EstablishPartnershipDto, build: (b, _, ctx) => new EstablishPartnershipCommand(b, ctx) },
  LaunchInitiative: { dto: LaunchInitiativeDto, build: (b, _, ctx) => new LaunchInitiativeCommand(b, ctx) },
  AnnounceForum: { dto: AnnounceForumDto, build: (b, _, ctx) => new AnnounceForumCommand(b, ctx) },
  PostponeForum: { dto: PostponeForumDto, build: (b, to, ctx) => new PostponeForumCommand(to.target, b, ctx) },
  RecordForumHeld: { dto: RecordForumHeldDto, build: (b, to, ctx) => new RecordForumHeldCommand(to.target, b, ctx) },
  SignMoU: { dto: SignAgreementDto, build: (b, _, ctx) => new SignAgreementCommand(b, ctx) },
  RecordMeeting: { dto: RecordMeetingDto, build: (b, _, ctx) => new RecordMeetingCommand(b, ctx) },
  CorrectMeetingRecord: { dto: CorrectMeetingRecordDto, build: (b, to, ctx) => new CorrectMeetingRecordCommand(to.target, b, ctx) },
};
