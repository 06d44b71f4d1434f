import { Body, Controller, Delete, Get, Headers, HttpCode, HttpStatus, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, Authorize, CurrentActor, Permission } from '@cbm/auth';
import { IdParam, SerializedJson, withEtag } from '@cbm/common';
import { CachedRead, sameForEveryone } from '../../caching';
import { directoryListScope } from '../list-scope';
import { ApiProblemResponses } from '../../openapi/api-problem-responses.decorator';
import { ApiExampleBody, CERT_EXAMPLE } from '../../openapi/request-examples';
import { EntryHistoryResponse } from '../dto/directory-entry.response';
import { IfMatchHeader } from '../if-match-header.decorator';
import { CertsService } from './certs.service';
import { CreateCertDto, UpdateCertDto } from './dto/cert.dto';
import { CertListResponse, CertResponse } from './dto/cert.response';
import { ListCertsQuery } from './dto/list-certs.query.dto';

/** National CERTs/CSIRTs (RFC 2350, FIRST directory fields): read by every participating State. */
@ApiTags('Directory: CERTs')
@Controller('certs')
export class CertsController {
  constructor(private readonly certs: CertsService) {}

  /** CERTs, sorted by name, a page at a time (keyset cursor); ACTIVE ones unless `status` says otherwise. */
  @Get()
  @Authorize(Permission.DirectoryRead)
  @CachedRead(sameForEveryone, directoryListScope('cert'))
  @ApiOkResponse({ type: CertListResponse })
  @ApiProblemResponses(400)
  list(@Query() query: ListCertsQuery): Promise<SerializedJson> {
    return this.certs.list(query);
  }

  /** Adds a CERT of the caller's State. */
  @Post()
  @Authorize(Permission.DirectoryWrite)
  @ApiExampleBody(CreateCertDto, 'The national CERT', CERT_EXAMPLE)
  @ApiProblemResponses(400)
  async create(@CurrentActor() actor: Actor, @Body() body: CreateCertDto, @Res({ passthrough: true }) response: Response): Promise<CertResponse> {
    return withEtag(response, await this.certs.create(actor, body));
  }

  /** One CERT, with its ETag and its active technical contacts. */
  @Get(':id')
  @Authorize(Permission.DirectoryRead)
  @ApiProblemResponses(400, 404)
  async get(@Param() params: IdParam, @Res({ passthrough: true }) response: Response): Promise<CertResponse> {
    return withEtag(response, await this.certs.get(params.id));
  }

  /** Every revision: who changed what, and when. */
  @Get(':id/history')
  @Authorize(Permission.DirectoryRead)
  @ApiProblemResponses(400, 404)
  history(@Param() params: IdParam): Promise<EntryHistoryResponse> {
    return this.certs.history(params.id);
  }

  /** Changes a CERT of the caller's State. Requires If-Match: a stale write gets 412 and changes nothing. */
  @Patch(':id')
  @Authorize(Permission.DirectoryWrite)
  @IfMatchHeader(true)
  @ApiProblemResponses(400, 404, 412, 428)
  async update(
    @CurrentActor() actor: Actor,
    @Param() params: IdParam,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: UpdateCertDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CertResponse> {
    return withEtag(response, await this.certs.update(actor, params.id, ifMatch, body));
  }

  /** Deactivates a CERT of the caller's State; its history is kept. */
  @Delete(':id')
  @Authorize(Permission.DirectoryWrite)
  @IfMatchHeader(false)
  @ApiProblemResponses(400, 404, 412)
  async deactivate(
    @CurrentActor() actor: Actor,
    @Param() params: IdParam,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CertResponse> {
    return withEtag(response, await this.certs.deactivate(actor, params.id, ifMatch));
  }

  /** The State confirms the entry is current (sets lastVerifiedAt). */
  @Post(':id/verify')
  @Authorize(Permission.DirectoryWrite)
  @HttpCode(HttpStatus.OK)
  @IfMatchHeader(false)
  @ApiProblemResponses(400, 404, 412)
  async verify(
    @CurrentActor() actor: Actor,
    @Param() params: IdParam,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CertResponse> {
    return withEtag(response, await this.certs.verify(actor, params.id, ifMatch));
  }
}
