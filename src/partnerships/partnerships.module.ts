import { Module } from '@nestjs/common';
import { PartnershipsController } from './partnerships.controller.js';
import { PartnershipsQuery } from './queries/partnerships.query.js';

@Module({ controllers: [PartnershipsController], providers: [PartnershipsQuery] })
export class PartnershipsModule {}
