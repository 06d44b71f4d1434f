import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { DEVELOPMENT_APP_SECRET_KEY, Environment } from '@cbm/common';

/** What a link token is for: a token made for one purpose never works for another. */
export type LinkPurpose = 'acknowledgement' | 'invitation' | 'password-reset';

/**
 * Keys derived (HKDF-SHA-256) from APP_SECRET_KEY, one per use. Tokens in mailed links are an HMAC of
 * the row they open, so the database stores only their SHA-256 and no raw token is kept anywhere,
 * not even in the outbox while the mail waits to be sent.
 */
@Injectable()
export class AppSecrets {
  private readonly linkKey: Buffer;
  private readonly webhookSecretKey: Buffer;

  constructor(config: ConfigService<Environment, true>) {
    const master = config.get('APP_SECRET_KEY', { infer: true }) ?? DEVELOPMENT_APP_SECRET_KEY;
    this.linkKey = derive(master, 'cbm-registry/link-tokens');
    this.webhookSecretKey = derive(master, 'cbm-registry/webhook-secrets');
  }

  linkToken(purpose: LinkPurpose, id: string): string {
    return createHmac('sha256', this.linkKey).update(`${purpose}:${id}`).digest('base64url');
  }

  /** The single-use code of an invitation (user_token row `userTokenId`). */
  invitationToken(userTokenId: string): string {
    return `inv_${this.linkToken('invitation', userTokenId)}`;
  }

  /** The single-use code of a password reset link (user_token row `userTokenId`). */
  passwordResetToken(userTokenId: string): string {
    return `pwr_${this.linkToken('password-reset', userTokenId)}`;
  }

  static hashToken(token: string): string {
    return createHash('sha256').update(token).digest('hex');
  }

  /** AES-256-GCM; the row id is bound as associated data, so a ciphertext moved to another row fails. */
  encryptWebhookSecret(secret: string, webhookId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.webhookSecretKey, iv).setAAD(Buffer.from(webhookId));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  decryptWebhookSecret(sealed: string, webhookId: string): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== 'v1') throw new Error(`Unknown webhook secret format ${version}`);
    const decipher = createDecipheriv('aes-256-gcm', this.webhookSecretKey, Buffer.from(iv, 'base64url'))
      .setAAD(Buffer.from(webhookId))
      .setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }
}

function derive(master: string, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, 'cbm-registry', info, 32));
}
