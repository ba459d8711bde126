import { Module } from '@nestjs/common';
import { EstablishPartnershipController } from './commands/establish-partnership/establish-partnership.controller.js';
import { EstablishPartnershipHandler } from './commands/establish-partnership/establish-partnership.handler.js';
import { PartnershipsController } from './partnerships.controller.js';
import { PartnershipsQuery } from './queries/partnerships.query.js';

@Module({
  controllers: [PartnershipsController, EstablishPartnershipController],
  providers: [PartnershipsQuery, EstablishPartnershipHandler],
})
export class PartnershipsModule {}
