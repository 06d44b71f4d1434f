import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Authorize, CurrentActor, Permission } from '@cbm/auth';
import { IdParam } from '@cbm/common';
import { ApiProblemResponses } from '../../openapi/api-problem-responses.decorator';
import { CreateWebhookDto } from '../dto/webhook.dto';
import { CreatedWebhookResponse, WebhookListResponse, WebhookResponse } from '../dto/webhook.response';
import { WebhooksService } from './webhooks.service';

/** A State's webhooks: events about the State's requests, POSTed and signed (see the README for the recipe). */
@ApiTags('Webhooks')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  /** Registers a webhook for the caller's State; the signing secret is in this answer only. */
  @Post()
  @Authorize(Permission.WebhookManage)
  @ApiProblemResponses(400, 409)
  create(@CurrentActor() actor: Actor, @Body() body: CreateWebhookDto): Promise<CreatedWebhookResponse> {
    return this.webhooks.create(actor, body);
  }

  /** The caller's State's webhooks (never their secrets). */
  @Get()
  @Authorize(Permission.WebhookManage)
  list(@CurrentActor() actor: Actor): Promise<WebhookListResponse> {
    return this.webhooks.list(actor);
  }

  /** Sends a signed test event (`webhook.ping`) to the webhook. */
  @Post(':id/ping')
  @Authorize(Permission.WebhookManage)
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiProblemResponses(400, 404)
  ping(@CurrentActor() actor: Actor, @Param() params: IdParam): Promise<WebhookResponse> {
    return this.webhooks.ping(actor, params.id);
  }

  /** Stops deliveries to the webhook at once, including retries already queued. */
  @Delete(':id')
  @Authorize(Permission.WebhookManage)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiProblemResponses(400, 404)
  remove(@CurrentActor() actor: Actor, @Param() params: IdParam): Promise<void> {
    return this.webhooks.remove(actor, params.id);
  }
}
