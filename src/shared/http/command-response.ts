import type { CommandOutcome, CommandResult } from '../commands/command-context.js';
import type { HttpReply } from './http-types.js';

/** Sends a command's answer per the contract: 201 + Location on create, ETag with the version. */
export function sendOutcome(reply: HttpReply, outcome: CommandOutcome, location: (id: string) => string): CommandResult {
  reply.status(outcome.status);
  reply.header('ETag', `"${outcome.body.version}"`);
  if (outcome.status === 201) reply.header('Location', location(outcome.body.id));
  return outcome.body;
}
