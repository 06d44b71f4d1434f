import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';
import { CapacityOfferStatus, UnRegionalGroup } from '@cbm/database';
import { ListCapacityQuery } from '../../shared/list-capacity.query.dto';

export class ListOffersQuery extends ListCapacityQuery {
  @ApiPropertyOptional({ enum: CapacityOfferStatus, enumName: 'CapacityOfferStatus' })
  @IsOptional()
  @IsEnum(CapacityOfferStatus)
  status?: CapacityOfferStatus;

  /** Offers that serve this UN regional group (those serving every region included). */
  @ApiPropertyOptional({ enum: UnRegionalGroup, enumName: 'UnRegionalGroup' })
  @IsOptional()
  @IsEnum(UnRegionalGroup)
  serves?: UnRegionalGroup;
}
