import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '@cbm/auth';
import { IdParam } from '@cbm/common';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { DisclosuresService } from './disclosures.service';
import { DisclosureListResponse, DisclosureResponse } from './dto/disclosure.response';
import { ListDisclosuresQuery } from './dto/list-disclosures.query.dto';

/** What States chose to publish to everyone (TLP:CLEAR): for industry, academia and civil society (paragraph 43). */
@ApiTags('Public disclosures')
@Controller('public/disclosures')
export class PublicDisclosuresController {
  constructor(private readonly disclosures: DisclosuresService) {}

  /** Published PUBLIC disclosures, newest change first. */
  @Get()
  @Public()
  @ApiProblemResponses(400)
  list(@Query() query: ListDisclosuresQuery): Promise<DisclosureListResponse> {
    return this.disclosures.list({ kind: 'anonymous' }, query);
  }

  /** One published PUBLIC disclosure. */
  @Get(':id')
  @Public()
  @ApiProblemResponses(400, 404)
  async get(@Param() params: IdParam): Promise<DisclosureResponse> {
    return (await this.disclosures.get({ kind: 'anonymous' }, params.id)).body;
  }
}
