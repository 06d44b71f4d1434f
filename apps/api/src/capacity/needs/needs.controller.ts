import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, Authorize, CurrentActor, Permission } from '@cbm/auth';
import { IdParam, withEtag } from '@cbm/common';
import { ApiProblemResponses } from '../../openapi/api-problem-responses.decorator';
import { ApiExampleBody, NEED_EXAMPLE } from '../../openapi/request-examples';
import { readerOf } from '../../sharing/reader';
import { CreateNeedDto, NeedFromRequestDto, UpdateNeedDto } from './dto/need.dto';
import { NeedListResponse, NeedResponse } from './dto/need.response';
import { ListNeedsQuery } from './dto/list-needs.query.dto';
import { NeedFromRequestService } from './need-from-request.service';
import { NeedsService } from './needs.service';

const IF_MATCH = { name: 'If-Match', description: 'The ETag of the need as you last read it (e.g. "3").' };

/**
 * What States need (paragraphs 32–39), described by the needing State and shared with the audience it
 * chose: demand-driven, as the GFCE Clearing House works. What a caller may not see is absent from
 * every list and a 404 when asked for directly.
 */
@ApiTags('Capacity-building')
@Controller()
export class NeedsController {
  constructor(
    private readonly needs: NeedsService,
    private readonly fromRequest: NeedFromRequestService,
  ) {}

  /** Needs the caller may see, newest change first. */
  @Get('capacity/needs')
  @Authorize(Permission.CapacityRead)
  @ApiProblemResponses(400)
  list(@CurrentActor() actor: Actor, @Query() query: ListNeedsQuery): Promise<NeedListResponse> {
    return this.needs.list(readerOf(actor), query);
  }

  /** A new draft of the caller's State, visible to it alone until opened. */
  @Post('capacity/needs')
  @Authorize(Permission.CapacityWrite)
  @ApiExampleBody(CreateNeedDto, 'Help to set up a sectoral CERT', NEED_EXAMPLE)
  @ApiProblemResponses(400)
  async create(@CurrentActor() actor: Actor, @Body() body: CreateNeedDto, @Res({ passthrough: true }) response: Response): Promise<NeedResponse> {
    return withEtag(response, await this.needs.create(actor, body));
  }

  /**
   * Opens a need from a request the caller's State answered "unable: capacity limits" (paragraph 32),
   * in one step: areas from the request's type, its sectors and language, and the answer's own words
   * as the description; anything in the body replaces the pre-filled value. Nothing else of the
   * request is copied. Shared by default with the requester alone (TLP:AMBER), who is told and may
   * offer first; with SELECTED_STATES the requester is always among them.
   */
  @Post('requests/:id/capacity-need')
  @Authorize(Permission.CapacityWrite)
  @ApiProblemResponses(400, 404, 409)
  async createFromRequest(
    @CurrentActor() actor: Actor,
    @Param() params: IdParam,
    @Body() body: NeedFromRequestDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<NeedResponse> {
    return withEtag(response, await this.fromRequest.open(actor, params.id, body));
  }

  /** One need the caller may see, with its ETag. */
  @Get('capacity/needs/:id')
  @Authorize(Permission.CapacityRead)
  @ApiProblemResponses(400, 404)
  async get(@CurrentActor() actor: Actor, @Param() params: IdParam, @Res({ passthrough: true }) response: Response): Promise<NeedResponse> {
    return withEtag(response, await this.needs.get(readerOf(actor), params.id));
  }

  /** Edits a draft or an open need. Requires If-Match. */
  @Patch('capacity/needs/:id')
  @Authorize(Permission.CapacityWrite)
  @ApiHeader({ ...IF_MATCH, required: true })
  @ApiProblemResponses(400, 404, 409, 412, 428)
  async update(
    @CurrentActor() actor: Actor,
    @Param() params: IdParam,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: UpdateNeedDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<NeedResponse> {
    return withEtag(response, await this.needs.update(actor, params.id, ifMatch, body));
  }

  /** Makes a draft visible to its audience; States with matching open offers are told. */
  @Post('capacity/needs/:id/open')
  @Authorize(Permission.CapacityWrite)
  @HttpCode(HttpStatus.OK)
  @ApiHeader({ ...IF_MATCH, required: false })
  @ApiProblemResponses(400, 404, 409, 412)
  async open(@CurrentActor() actor: Actor, @Param() params: IdParam, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) response: Response): Promise<NeedResponse> {
    return withEtag(response, await this.needs.open(actor, params.id, ifMatch));
  }

  /** Withdraws a need (not while an engagement is active); pending proposals are declined. */
  @Post('capacity/needs/:id/withdraw')
  @Authorize(Permission.CapacityWrite)
  @HttpCode(HttpStatus.OK)
  @ApiHeader({ ...IF_MATCH, required: false })
  @ApiProblemResponses(400, 404, 409, 412)
  async withdraw(
    @CurrentActor() actor: Actor,
    @Param() params: IdParam,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<NeedResponse> {
    return withEtag(response, await this.needs.withdraw(actor, params.id, ifMatch));
  }

  /** Marks a need in progress as fulfilled, once its engagements have ended. */
  @Post('capacity/needs/:id/fulfil')
  @Authorize(Permission.CapacityWrite)
  @HttpCode(HttpStatus.OK)
  @ApiHeader({ ...IF_MATCH, required: false })
  @ApiProblemResponses(400, 404, 409, 412)
  async fulfil(
    @CurrentActor() actor: Actor,
    @Param() params: IdParam,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<NeedResponse> {
    return withEtag(response, await this.needs.fulfil(actor, params.id, ifMatch));
  }
}
