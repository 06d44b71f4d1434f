import { Webhook } from '@cbm/database';

export class WebhookResponse {
  id: string;
  stateCode: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  /** `request.created` deliveries carry the request's STIX 2.1 bundle. */
  attachStix: boolean;
  createdAt: Date;
  disabledAt: Date | null;
}

export class CreatedWebhookResponse {
  webhook: WebhookResponse;
  /** Signs every delivery (header X-CBM-Signature); shown in this answer only. */
  secret: string;
}

export class WebhookListResponse {
  items: WebhookResponse[];
}

export function toWebhookResponse(webhook: Webhook): WebhookResponse {
  return {
    id: webhook.id,
    stateCode: webhook.stateCode,
    url: webhook.url,
    description: webhook.description,
    eventTypes: webhook.eventTypes,
    attachStix: webhook.attachStix,
    createdAt: webhook.createdAt,
    disabledAt: webhook.disabledAt,
  };
}
