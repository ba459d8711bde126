import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

/** Query parameters every read endpoint takes. */
export class ReadQueryDto {
  @ApiPropertyOptional({ description: 'Answer once the projection has applied this position (from a command answer); waits up to 5 s.' })
  @IsOptional()
  @Matches(/^[1-9]\d{0,18}$/, { message: 'minPosition must be a position a command answered' })
  minPosition?: string;
}

export class ListQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Matches(/^([1-9]\d{0,1}|[1-4]\d\d|500)$/, { message: 'limit must be a whole number from 1 to 500' })
  limit?: string;

  @ApiPropertyOptional({ description: 'The `next` of the previous page.' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,400}$/, { message: 'cursor is not a cursor this service gave' })
  cursor?: string;
}
