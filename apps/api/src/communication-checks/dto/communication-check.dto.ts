import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsEnum, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { IsStateCode, PageQuery } from '@cbm/common';
import { ContactKind, UnRegionalGroup } from '@cbm/database';

export class StartCommunicationCheckDto {
  /** States to check; absent or empty: every participating State. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ArrayUnique()
  @Transform(({ value }) => (Array.isArray(value) ? value.map((code) => (typeof code === 'string' ? code.toUpperCase() : code)) : value))
  @IsString({ each: true })
  @Matches(/^[A-Z]{3}$/, { each: true, message: 'each value in $property must be an ISO 3166-1 alpha-3 code' })
  stateCodes?: string[];

  /** Contact kinds to check; absent or empty: all of them. */
  @ApiProperty({ enum: ContactKind, enumName: 'ContactKind', isArray: true, required: false })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsEnum(ContactKind, { each: true })
  kinds?: ContactKind[];

  /** Hours contacts have to confirm (1 to 720). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(720)
  windowHours: number;

  /** Hours before the window closes when contacts that have not confirmed are reminded; 0: no reminder. Default: a quarter of the window. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(719)
  reminderHoursBefore?: number;

  /** Shown in the mail. */
  @IsOptional()
  @IsString()
  @Length(1, 500)
  note?: string;
}

export class ListCommunicationChecksQuery extends PageQuery {
  /** The `nextCursor` of the previous page. */
  @IsOptional()
  @IsUUID()
  cursor?: string;
}

export enum ResultsGrouping {
  Contact = 'contact',
  State = 'state',
  Region = 'region',
}

export class CheckResultsQuery extends PageQuery {
  /** contact: one row per targeted contact; state and region: totals. A State sees its own rows only. */
  @ApiPropertyOptional({ enum: ResultsGrouping, enumName: 'ResultsGrouping', default: ResultsGrouping.Contact })
  @IsOptional()
  @IsIn(Object.values(ResultsGrouping))
  groupBy: ResultsGrouping = ResultsGrouping.Contact;

  /** The secretariat only: one State's rows. */
  @IsOptional()
  @IsStateCode()
  stateCode?: string;

  /** groupBy=contact: the `nextCursor` of the previous page. */
  @IsOptional()
  @IsUUID()
  cursor?: string;
}

export class CheckTrendsQuery {
  /** The secretariat: one State's trend (a State always sees its own). */
  @IsOptional()
  @IsStateCode()
  stateCode?: string;

  /** The secretariat: one regional group's trend. */
  @IsOptional()
  @IsEnum(UnRegionalGroup)
  region?: UnRegionalGroup;

  @ApiPropertyOptional({ description: 'How many of the latest checks (1–50).', type: 'integer', minimum: 1, maximum: 50, default: 12 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit: number = 12;
}
