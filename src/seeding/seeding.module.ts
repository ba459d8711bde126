import { Module } from '@nestjs/common';
import { SeedLoader } from './seed-loader.js';

/** Loads the recorded history (seeds/) through the CommandBus: `npm run seed` and the first start. */
@Module({ providers: [SeedLoader], exports: [SeedLoader] })
export class SeedingModule {}
