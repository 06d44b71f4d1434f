import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Authorize, CurrentActor, Permission } from '@cbm/auth';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { ApiKeysService } from './api-keys.service';
import { IdParam } from '@cbm/common';
import { CreateApiKeyDto } from './dto/api-key.dto';
import { ApiKeyListResponse, ApiKeyResponse, CreatedApiKeyResponse } from './dto/api-key.response';

/** Keys for a State's machine clients (a CERT's tooling syncing the directory). */
@ApiTags('API keys')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  /** Creates a key for the caller's State; the key is in this answer only and stored hashed. */
  @Post()
  @Authorize(Permission.ApiKeyManage)
  @ApiProblemResponses(400)
  create(@CurrentActor() actor: Actor, @Body() body: CreateApiKeyDto): Promise<CreatedApiKeyResponse> {
    return this.keys.create(actor, body);
  }

  /** The keys of the caller's State (never the keys themselves). */
  @Get()
  @Authorize(Permission.ApiKeyManage)
  list(@CurrentActor() actor: Actor): Promise<ApiKeyListResponse> {
    return this.keys.list(actor);
  }

  /** Revokes a key: it stops working at once. */
  @Post(':id/revoke')
  @Authorize(Permission.ApiKeyManage)
  @HttpCode(HttpStatus.OK)
  @ApiProblemResponses(400, 404)
  revoke(@CurrentActor() actor: Actor, @Param() params: IdParam): Promise<ApiKeyResponse> {
    return this.keys.revoke(actor, params.id);
  }
}
