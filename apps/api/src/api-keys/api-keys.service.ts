import { HttpStatus, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Actor, actingStateOf, API_KEY_GRANTABLE_PERMISSIONS } from '@cbm/auth';
import { DomainError, Environment, ErrorCode } from '@cbm/common';
import { UnitOfWork } from '@cbm/database';
import { AuditService } from '../audit';
import { API_KEY_PREFIX, newOpaqueToken } from '../auth';
import { ApiKeysRepository } from './api-keys.repository';
import { CreateApiKeyDto } from './dto/api-key.dto';
import { ApiKeyListResponse, ApiKeyResponse, CreatedApiKeyResponse, toApiKeyResponse, toCreatedApiKeyResponse } from './dto/api-key.response';

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly audit: AuditService,
    private readonly unitOfWork: UnitOfWork,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  async create(actor: Actor, input: CreateApiKeyDto): Promise<CreatedApiKeyResponse> {
    const stateCode = this.actingState(actor);
    const notGrantable = input.permissions.filter((permission) => !API_KEY_GRANTABLE_PERMISSIONS.has(permission));
    if (notGrantable.length > 0) {
      throw DomainError.validation([{ field: 'permissions', message: `cannot be given to an API key: ${notGrantable.join(', ')}` }]);
    }
    const maxDays = this.config.get('API_KEY_MAX_TTL_DAYS', { infer: true });
    if (input.expiresInDays > maxDays) {
      throw DomainError.validation([{ field: 'expiresInDays', message: `must be at most ${maxDays}` }]);
    }
    const secret = newOpaqueToken(API_KEY_PREFIX);
    return this.unitOfWork.run(async () => {
      const key = await this.keys.create(stateCode, {
        name: input.name.trim(),
        keyPrefix: secret.token.slice(0, API_KEY_PREFIX.length + 6),
        keyHash: secret.hash,
        permissions: [...input.permissions].sort(),
        expiresAt: new Date(Date.now() + input.expiresInDays * 86_400_000),
        createdById: actor.userId!,
      });
      await this.audit.record({
        action: 'apikey.created',
        actor,
        entityType: 'api_key',
        entityId: key.id,
        summary: { after: { name: key.name, permissions: key.permissions, expiresAt: key.expiresAt.toISOString() } },
      });
      return toCreatedApiKeyResponse(key, secret.token);
    });
  }

  async list(actor: Actor): Promise<ApiKeyListResponse> {
    return { items: (await this.keys.list(this.actingState(actor))).map(toApiKeyResponse) };
  }

  async revoke(actor: Actor, id: string): Promise<ApiKeyResponse> {
    const stateCode = this.actingState(actor);
    return this.unitOfWork.run(async () => {
      const key = await this.keys.findOne(stateCode, id);
      if (!key) throw DomainError.notFound('API key');
      if (key.revokedAt) return toApiKeyResponse(key);
      const revoked = await this.keys.revoke(stateCode, id);
      await this.audit.record({ action: 'apikey.revoked', actor, entityType: 'api_key', entityId: id });
      return toApiKeyResponse(revoked);
    });
  }

  /** Keys belong to a State, and only a State's own administrators (people, not keys) manage them. */
  private actingState(actor: Actor): string {
    const why = 'API keys are managed by the administrators of a State.';
    if (!actor.userId) throw new DomainError(HttpStatus.FORBIDDEN, ErrorCode.Forbidden, why);
    return actingStateOf(actor, why);
  }
}
