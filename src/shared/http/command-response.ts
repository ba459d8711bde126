import type { Response } from 'express';
import type { CommandOutcome, CommandResult } from '../commands/command-context.js';

/** Sends a command's answer per the contract: 201 + Location on create, ETag with the version. */
export function sendOutcome(res: Response, outcome: CommandOutcome, location: (id: string) => string): CommandResult {
  res.status(outcome.status);
  res.setHeader('ETag', `"${outcome.body.version}"`);
  if (outcome.status === 201) res.setHeader('Location', location(outcome.body.id));
  return outcome.body;
}
