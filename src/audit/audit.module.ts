import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';
import { AuditLogQuery } from './audit-log.query.js';
import { Verifier } from './verifier.js';

@Module({ controllers: [AuditController], providers: [AuditLogQuery, Verifier], exports: [Verifier] })
export class AuditModule {}
