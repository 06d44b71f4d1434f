import { ApiProperty } from '@nestjs/swagger';
import { Permission } from '@cbm/auth';
import { ApiKey } from '@cbm/database';

export class ApiKeyResponse {
  id: string;
  name: string;
  stateCode: string;
  /** The first characters of the key, to tell keys apart. */
  keyPrefix: string;
  @ApiProperty({ enum: Permission, enumName: 'Permission', isArray: true })
  permissions: string[];
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdById: string;
  createdAt: Date;
}

export class CreatedApiKeyResponse extends ApiKeyResponse {
  /** The key itself, shown this once: send it as `Authorization: Bearer <key>` or `X-API-Key`. */
  key: string;
}

export class ApiKeyListResponse {
  items: ApiKeyResponse[];
}

export function toApiKeyResponse(key: ApiKey): ApiKeyResponse {
  return {
    id: key.id,
    name: key.name,
    stateCode: key.stateCode,
    keyPrefix: key.keyPrefix,
    permissions: key.permissions,
    expiresAt: key.expiresAt,
    revokedAt: key.revokedAt,
    lastUsedAt: key.lastUsedAt,
    createdById: key.createdById,
    createdAt: key.createdAt,
  };
}

/** The answer to a creation: the key itself, this once. */
export function toCreatedApiKeyResponse(key: ApiKey, secret: string): CreatedApiKeyResponse {
  return { ...toApiKeyResponse(key), key: secret };
}
