import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, Authorize, AuthorizeAny, CurrentActor, Permission } from '@cbm/auth';
import { IdParam } from '@cbm/common';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { ApiExampleBody, REQUEST_EXAMPLE } from '../openapi/request-examples';
import { CreateMessageDto, CreateRequestDto, IndicatorExportQuery, ListRequestsQuery, RequestActionDto } from './dto/request.dto';
import {
  MessageListResponse,
  MessageResponse,
  RequestListResponse,
  RequestMetadataResponse,
  RequestResponse,
  RequestStatsResponse,
} from './dto/request.response';
import { RequestExportsService } from './interop/request-exports.service';
import { STIX_MEDIA_TYPE } from './interop/stix-bundle';
import { RequestActionsService } from './request-actions.service';
import { RequestFilingService } from './request-filing.service';
import { RequestMessagesService } from './request-messages.service';
import { RequestReadingService } from './request-reading.service';

/**
 * Consultation and assistance requests between States (paragraphs 30 and 32), with a tracked
 * workflow per recipient. Reading needs request:read (a party: contents) or request:metadata (the
 * secretariat: metadata only).
 */
@ApiTags('Requests')
@Controller('requests')
export class RequestsController {
  constructor(
    private readonly filing: RequestFilingService,
    private readonly reading: RequestReadingService,
    private readonly actions: RequestActionsService,
    private readonly threads: RequestMessagesService,
    private readonly exports: RequestExportsService,
  ) {}

  /** Files a request to one or several States. Requires an Idempotency-Key: a retry returns the first answer. */
  @Post()
  @Authorize(Permission.RequestWrite)
  @ApiExampleBody(CreateRequestDto, 'Assistance against ransomware run from the recipient State', REQUEST_EXAMPLE)
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'Unique per request filed (8–200 characters).' })
  @ApiProblemResponses(400, 422)
  async create(
    @CurrentActor() actor: Actor,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: CreateRequestDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RequestResponse> {
    const created = await this.filing.fileRequest(actor, idempotencyKey, body);
    response.status(created.status);
    return created.body as RequestResponse;
  }

  /** Requests involving the caller's State (all of them, as metadata, for the secretariat). */
  @Get()
  @AuthorizeAny(Permission.RequestRead, Permission.RequestMetadataRead)
  @ApiProblemResponses(400)
  list(@CurrentActor() actor: Actor, @Query() query: ListRequestsQuery): Promise<RequestListResponse> {
    return this.reading.list(actor, query);
  }

  /** Counts by type and status, and times to acknowledge and to answer (seconds). */
  @Get('stats')
  @AuthorizeAny(Permission.RequestRead, Permission.RequestMetadataRead)
  stats(@CurrentActor() actor: Actor): Promise<RequestStatsResponse> {
    return this.reading.stats(actor);
  }

  /** One request: contents for its parties, metadata for the secretariat, 404 for anyone else. */
  @Get(':id')
  @AuthorizeAny(Permission.RequestRead, Permission.RequestMetadataRead)
  @ApiProblemResponses(400, 404)
  get(@CurrentActor() actor: Actor, @Param() params: IdParam): Promise<RequestResponse | RequestMetadataResponse> {
    return this.reading.get(actor, params.id);
  }

  /**
   * The request's indicators for a threat-intelligence platform: a STIX 2.1 bundle (`format=stix`)
   * or a MISP event (`format=misp`), the same bytes at every export. Contents: for the parties only;
   * the secretariat (metadata only) and other States get 404.
   */
  @Get(':id/indicators')
  @AuthorizeAny(Permission.RequestRead, Permission.RequestMetadataRead)
  @ApiProduces(STIX_MEDIA_TYPE, 'application/json')
  @ApiOkResponse({ description: 'A STIX 2.1 bundle, or a MISP event wrapped as { "Event": { … } }, as a download.' })
  @ApiProblemResponses(400, 404)
  async indicators(@CurrentActor() actor: Actor, @Param() params: IdParam, @Query() query: IndicatorExportQuery, @Res() response: Response): Promise<void> {
    const exported = await this.exports.export(actor, params.id, query.format);
    response.status(HttpStatus.OK);
    response.setHeader('Content-Type', exported.contentType);
    response.setHeader('Content-Disposition', `attachment; filename="${exported.fileName}"`);
    response.setHeader('Cache-Control', 'no-store');
    // A Buffer, so that Express keeps the media type exactly as set (a string would get a charset appended).
    response.send(Buffer.from(exported.body, 'utf8'));
  }

  /** A workflow action by the caller's side; one not allowed from the current status is a 409. */
  @Post(':id/actions')
  @AuthorizeAny(Permission.RequestWrite, Permission.RequestRespond)
  @HttpCode(HttpStatus.OK)
  @ApiProblemResponses(400, 404, 409)
  act(@CurrentActor() actor: Actor, @Param() params: IdParam, @Body() body: RequestActionDto): Promise<RequestResponse | RequestMetadataResponse> {
    return this.actions.applyAction(actor, params.id, body);
  }

  /** The thread: everything for the requester; for a recipient, messages to all and its own thread. */
  @Get(':id/messages')
  @Authorize(Permission.RequestRead)
  @ApiProblemResponses(400, 404)
  messages(@CurrentActor() actor: Actor, @Param() params: IdParam): Promise<MessageListResponse> {
    return this.threads.messages(actor, params.id);
  }

  /** Writes to every party, or (`toState`) to one recipient / privately to the requester. */
  @Post(':id/messages')
  @Authorize(Permission.RequestWrite)
  @ApiProblemResponses(400, 404)
  postMessage(@CurrentActor() actor: Actor, @Param() params: IdParam, @Body() body: CreateMessageDto): Promise<MessageResponse> {
    return this.threads.postMessage(actor, params.id, body);
  }
}
