import type { NextFunction, Response } from 'express';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { uuidv7 } from '../ids.js';

const CORRELATION = /^[\x21-\x7e]{1,200}$/;

/** Gives each request an id and a correlation id (the client's X-Correlation-Id when sane). */
export function requestIds(req: AuthedRequest, res: Response, next: NextFunction): void {
  const given = req.headers['x-correlation-id'];
  const value = Array.isArray(given) ? given[0] : given;
  req.requestId = uuidv7();
  req.correlationId = value && CORRELATION.test(value) ? value : req.requestId;
  res.setHeader('X-Correlation-Id', req.correlationId);
  res.setHeader('X-Request-Id', req.requestId);
  next();
}
