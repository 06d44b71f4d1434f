import { HttpStatus, Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { Actor } from '@cbm/auth';
import { DomainError, ErrorCode } from '@cbm/common';
import { UnitOfWork } from '@cbm/database';
import { AuditService } from '../../audit';
import { OutboxRepository } from '../../outbox';
import { AppSecrets } from '../../secrets';
import { CreateWebhookDto } from '../dto/webhook.dto';
import { CreatedWebhookResponse, toWebhookResponse, WebhookListResponse, WebhookResponse } from '../dto/webhook.response';
import { WebhookClient } from './webhook-client';
import { WebhooksRepository } from './webhooks.repository';

const MAX_ACTIVE_WEBHOOKS = 10;

@Injectable()
export class WebhooksService {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly client: WebhookClient,
    private readonly secrets: AppSecrets,
    private readonly audit: AuditService,
    private readonly outbox: OutboxRepository,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async create(actor: Actor, input: CreateWebhookDto): Promise<CreatedWebhookResponse> {
    const stateCode = actor.stateCode!;
    const problem = this.client.acceptsUrl(input.url.trim());
    if (problem) throw DomainError.validation([{ field: 'url', message: problem }]);
    if ((await this.webhooks.countActive(stateCode)) >= MAX_ACTIVE_WEBHOOKS) {
      throw new DomainError(HttpStatus.CONFLICT, ErrorCode.Conflict, `A State has at most ${MAX_ACTIVE_WEBHOOKS} webhooks: remove one first.`);
    }
    const id = randomUUID();
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const webhook = await this.unitOfWork.run(async () => {
      const created = await this.webhooks.create({
        id,
        stateCode,
        url: input.url.trim(),
        description: input.description?.trim(),
        eventTypes: input.eventTypes ?? [],
        attachStix: input.attachStix ?? false,
        secretCiphertext: this.secrets.encryptWebhookSecret(secret, id),
        createdById: actor.userId,
      });
      await this.audit.record({ action: 'webhook.created', actor, entityType: 'webhook', entityId: id, summary: { url: created.url, eventTypes: created.eventTypes, attachStix: created.attachStix } });
      return created;
    });
    return { webhook: toWebhookResponse(webhook), secret };
  }

  async list(actor: Actor): Promise<WebhookListResponse> {
    return { items: (await this.webhooks.list(actor.stateCode!)).map(toWebhookResponse) };
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.unitOfWork.run(async () => {
      const { count } = await this.webhooks.disable(actor.stateCode!, id);
      if (count !== 1) throw DomainError.notFound('Webhook');
      await this.audit.record({ action: 'webhook.removed', actor, entityType: 'webhook', entityId: id });
    });
  }

  /** Queues a signed `webhook.ping` to this webhook only, to check the receiver's set-up. */
  async ping(actor: Actor, id: string): Promise<WebhookResponse> {
    return this.unitOfWork.run(async () => {
      const webhook = await this.webhooks.findActive(actor.stateCode!, id);
      if (!webhook) throw DomainError.notFound('Webhook');
      await this.outbox.emit([{ type: 'webhook.ping', stateCode: webhook.stateCode, payload: { webhookId: webhook.id } }]);
      return toWebhookResponse(webhook);
    });
  }
}
