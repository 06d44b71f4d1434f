import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, Authorize, CurrentActor, Permission } from '@cbm/auth';
import { IdParam, withEtag } from '@cbm/common';
import { CachedRead, EVERY_STATE } from '../caching';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { ApiExampleBody, DISCLOSURE_EXAMPLE } from '../openapi/request-examples';
import { readerOf } from '../sharing/reader';
import { DisclosuresService } from './disclosures.service';
import { CreateDisclosureDto, UpdateDisclosureDto } from './dto/disclosure.dto';
import { DisclosureListResponse, DisclosureResponse, DisclosureVersionListResponse } from './dto/disclosure.response';
import { ListDisclosuresQuery } from './dto/list-disclosures.query.dto';

const IF_MATCH = { name: 'If-Match', description: 'The ETag of the disclosure as you last read it (e.g. "3").' };

/**
 * Voluntary disclosures (paragraph 31), each shared with the audience its State chose. What a caller
 * may not see is absent from every list, count and search, and a 404 when asked for directly.
 */
@ApiTags('Disclosures')
@Controller('disclosures')
export class DisclosuresController {
  constructor(private readonly disclosures: DisclosuresService) {}

  /** Disclosures the caller may see, newest change first; `q` searches title, summary and body. */
  @Get()
  @Authorize(Permission.DisclosureRead)
  @CachedRead((actor) => JSON.stringify(readerOf(actor)), () => ({ disclosure: EVERY_STATE, state: EVERY_STATE }))
  @ApiProblemResponses(400)
  list(@CurrentActor() actor: Actor, @Query() query: ListDisclosuresQuery): Promise<DisclosureListResponse> {
    return this.disclosures.list(readerOf(actor), query);
  }

  /** A new draft of the caller's State, visible to it alone until published. */
  @Post()
  @Authorize(Permission.DisclosureWrite)
  @ApiExampleBody(CreateDisclosureDto, 'A national policy, published', DISCLOSURE_EXAMPLE)
  @ApiProblemResponses(400)
  async create(@CurrentActor() actor: Actor, @Body() body: CreateDisclosureDto, @Res({ passthrough: true }) response: Response): Promise<DisclosureResponse> {
    return withEtag(response, await this.disclosures.create(actor, body));
  }

  /** One disclosure the caller may see (its latest version), with its ETag. */
  @Get(':id')
  @Authorize(Permission.DisclosureRead)
  @ApiProblemResponses(400, 404)
  async get(@CurrentActor() actor: Actor, @Param() params: IdParam, @Res({ passthrough: true }) response: Response): Promise<DisclosureResponse> {
    return withEtag(response, await this.disclosures.get(readerOf(actor), params.id));
  }

  /** Every version, for the owner State only. */
  @Get(':id/versions')
  @Authorize(Permission.DisclosureRead)
  @ApiProblemResponses(400, 404)
  versions(@CurrentActor() actor: Actor, @Param() params: IdParam): Promise<DisclosureVersionListResponse> {
    return this.disclosures.versions(actor, params.id);
  }

  /** Edits a draft or a published disclosure (a new version). Requires If-Match. */
  @Patch(':id')
  @Authorize(Permission.DisclosureWrite)
  @ApiHeader({ ...IF_MATCH, required: true })
  @ApiProblemResponses(400, 404, 409, 412, 428)
  async update(
    @CurrentActor() actor: Actor,
    @Param() params: IdParam,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: UpdateDisclosureDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DisclosureResponse> {
    return withEtag(response, await this.disclosures.update(actor, params.id, ifMatch, body));
  }

  /** Makes a draft visible to its audience. */
  @Post(':id/publish')
  @Authorize(Permission.DisclosureWrite)
  @HttpCode(HttpStatus.OK)
  @ApiHeader({ ...IF_MATCH, required: false })
  @ApiProblemResponses(400, 404, 409, 412)
  async publish(
    @CurrentActor() actor: Actor,
    @Param() params: IdParam,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DisclosureResponse> {
    return withEtag(response, await this.disclosures.publish(actor, params.id, ifMatch));
  }

  /** Withdraws a published disclosure: gone for everyone but its State. */
  @Post(':id/withdraw')
  @Authorize(Permission.DisclosureWrite)
  @HttpCode(HttpStatus.OK)
  @ApiHeader({ ...IF_MATCH, required: false })
  @ApiProblemResponses(400, 404, 409, 412)
  async withdraw(
    @CurrentActor() actor: Actor,
    @Param() params: IdParam,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DisclosureResponse> {
    return withEtag(response, await this.disclosures.withdraw(actor, params.id, ifMatch));
  }
}
