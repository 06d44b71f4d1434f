import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, Authorize, CurrentActor, Permission } from '@cbm/auth';
import { IdParam, withEtag } from '@cbm/common';
import { ApiProblemResponses } from '../../openapi/api-problem-responses.decorator';
import { ApiExampleBody, OFFER_EXAMPLE } from '../../openapi/request-examples';
import { readerOf } from '../../sharing/reader';
import { CreateOfferDto, UpdateOfferDto } from './dto/offer.dto';
import { OfferListResponse, OfferResponse } from './dto/offer.response';
import { ListOffersQuery } from './dto/list-offers.query.dto';
import { OffersService } from './offers.service';

const IF_MATCH = { name: 'If-Match', description: 'The ETag of the offer as you last read it (e.g. "3").' };

/** What States can provide: training, advisory missions, mentoring, tools, exercises, peer exchange, funding. */
@ApiTags('Capacity-building')
@Controller('capacity/offers')
export class OffersController {
  constructor(private readonly offers: OffersService) {}

  /** Offers the caller may see, newest change first. */
  @Get()
  @Authorize(Permission.CapacityRead)
  @ApiProblemResponses(400)
  list(@CurrentActor() actor: Actor, @Query() query: ListOffersQuery): Promise<OfferListResponse> {
    return this.offers.list(readerOf(actor), query);
  }

  /** A new draft of the caller's State, visible to it alone until opened. */
  @Post()
  @Authorize(Permission.CapacityWrite)
  @ApiExampleBody(CreateOfferDto, 'A training course offered to two regions', OFFER_EXAMPLE)
  @ApiProblemResponses(400)
  async create(@CurrentActor() actor: Actor, @Body() body: CreateOfferDto, @Res({ passthrough: true }) response: Response): Promise<OfferResponse> {
    return withEtag(response, await this.offers.create(actor, body));
  }

  /** One offer the caller may see, with its ETag. */
  @Get(':id')
  @Authorize(Permission.CapacityRead)
  @ApiProblemResponses(400, 404)
  async get(@CurrentActor() actor: Actor, @Param() params: IdParam, @Res({ passthrough: true }) response: Response): Promise<OfferResponse> {
    return withEtag(response, await this.offers.get(readerOf(actor), params.id));
  }

  /** Edits a draft or an open offer. Requires If-Match. */
  @Patch(':id')
  @Authorize(Permission.CapacityWrite)
  @ApiHeader({ ...IF_MATCH, required: true })
  @ApiProblemResponses(400, 404, 409, 412, 428)
  async update(
    @CurrentActor() actor: Actor,
    @Param() params: IdParam,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: UpdateOfferDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OfferResponse> {
    return withEtag(response, await this.offers.update(actor, params.id, ifMatch, body));
  }

  /** Makes a draft visible to its audience (and to matching). */
  @Post(':id/open')
  @Authorize(Permission.CapacityWrite)
  @HttpCode(HttpStatus.OK)
  @ApiHeader({ ...IF_MATCH, required: false })
  @ApiProblemResponses(400, 404, 409, 412)
  async open(@CurrentActor() actor: Actor, @Param() params: IdParam, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) response: Response): Promise<OfferResponse> {
    return withEtag(response, await this.offers.open(actor, params.id, ifMatch));
  }

  /** Withdraws an offer: gone for everyone but its State. Engagements already under way go on. */
  @Post(':id/withdraw')
  @Authorize(Permission.CapacityWrite)
  @HttpCode(HttpStatus.OK)
  @ApiHeader({ ...IF_MATCH, required: false })
  @ApiProblemResponses(400, 404, 409, 412)
  async withdraw(
    @CurrentActor() actor: Actor,
    @Param() params: IdParam,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OfferResponse> {
    return withEtag(response, await this.offers.withdraw(actor, params.id, ifMatch));
  }
}
