import { Body, Controller, Delete, Get, Headers, HttpCode, HttpStatus, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, Authorize, CurrentActor, Permission } from '@cbm/auth';
import { IdParam, SerializedJson, withEtag } from '@cbm/common';
import { CachedRead, sameForEveryone } from '../../caching';
import { directoryListScope } from '../list-scope';
import { ApiProblemResponses } from '../../openapi/api-problem-responses.decorator';
import { ApiExampleBody, CONTACT_EXAMPLE } from '../../openapi/request-examples';
import { EntryHistoryResponse } from '../dto/directory-entry.response';
import { IfMatchHeader } from '../if-match-header.decorator';
import { ContactsService } from './contacts.service';
import { CreateContactDto, UpdateContactDto } from './dto/contact.dto';
import { ContactListResponse, ContactResponse } from './dto/contact.response';
import { ListContactsQuery } from './dto/list-contacts.query.dto';
import { VCARD_MEDIA_TYPE } from '../vcard';

/** National points of contact (diplomatic, policy, technical): read by every participating State. */
@ApiTags('Directory: contacts')
@Controller('contacts')
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  /** Contacts, sorted by name, a page at a time (keyset cursor); ACTIVE ones unless `status` says otherwise. */
  @Get()
  @Authorize(Permission.DirectoryRead)
  @CachedRead(sameForEveryone, directoryListScope('contact'))
  @ApiOkResponse({ type: ContactListResponse })
  @ApiProblemResponses(400)
  list(@Query() query: ListContactsQuery): Promise<SerializedJson> {
    return this.contacts.list(query);
  }

  /** Adds a contact of the caller's State. */
  @Post()
  @Authorize(Permission.DirectoryWrite)
  @ApiExampleBody(CreateContactDto, 'A technical point of contact, reachable day and night', CONTACT_EXAMPLE)
  @ApiProblemResponses(400)
  async create(@CurrentActor() actor: Actor, @Body() body: CreateContactDto, @Res({ passthrough: true }) response: Response): Promise<ContactResponse> {
    return withEtag(response, await this.contacts.create(actor, body));
  }

  /** One contact, with its ETag. */
  @Get(':id')
  @Authorize(Permission.DirectoryRead)
  @ApiProblemResponses(400, 404)
  async get(@Param() params: IdParam, @Res({ passthrough: true }) response: Response): Promise<ContactResponse> {
    return withEtag(response, await this.contacts.get(params.id));
  }

  /** The contact as a vCard 4.0 (RFC 6350), to import into a mail client or a phone. */
  @Get(':id/vcard')
  @Authorize(Permission.DirectoryRead)
  @ApiProduces('text/vcard')
  @ApiProblemResponses(400, 404)
  async vcard(@Param() params: IdParam, @Res({ passthrough: true }) response: Response): Promise<string> {
    const card = await this.contacts.vcard(params.id);
    response.setHeader('Content-Type', VCARD_MEDIA_TYPE);
    // Named by id: a name would need RFC 6266 encoding of any script, and is no safer to open.
    response.setHeader('Content-Disposition', `attachment; filename="contact-${params.id}.vcf"`);
    response.setHeader('Cache-Control', 'no-store');
    return card;
  }

  /** Every revision: who changed what, and when. */
  @Get(':id/history')
  @Authorize(Permission.DirectoryRead)
  @ApiProblemResponses(400, 404)
  history(@Param() params: IdParam): Promise<EntryHistoryResponse> {
    return this.contacts.history(params.id);
  }

  /** Changes a contact of the caller's State. Requires If-Match: a stale write gets 412 and changes nothing. */
  @Patch(':id')
  @Authorize(Permission.DirectoryWrite)
  @IfMatchHeader(true)
  @ApiProblemResponses(400, 404, 412, 428)
  async update(
    @CurrentActor() actor: Actor,
    @Param() params: IdParam,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: UpdateContactDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ContactResponse> {
    return withEtag(response, await this.contacts.update(actor, params.id, ifMatch, body));
  }

  /** Deactivates a contact of the caller's State; its history is kept. */
  @Delete(':id')
  @Authorize(Permission.DirectoryWrite)
  @IfMatchHeader(false)
  @ApiProblemResponses(400, 404, 412)
  async deactivate(
    @CurrentActor() actor: Actor,
    @Param() params: IdParam,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ContactResponse> {
    return withEtag(response, await this.contacts.deactivate(actor, params.id, ifMatch));
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
  ): Promise<ContactResponse> {
    return withEtag(response, await this.contacts.verify(actor, params.id, ifMatch));
  }
}
