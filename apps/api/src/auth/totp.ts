import { Secret, TOTP } from 'otpauth';
import { randomBytes } from 'node:crypto';

/** RFC 6238 as authenticator apps implement it: SHA-1, 6 digits, 30-second steps. */
const PERIOD_SECONDS = 30;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(secret: string, issuer: string, account: string): string {
  return new TOTP({ issuer, label: account, secret: Secret.fromBase32(secret), period: PERIOD_SECONDS }).toString();
}

/** The time step a code belongs to, if it is valid now (±1 step for clock drift); undefined otherwise. */
export function matchingTotpStep(secret: string, code: string, now = Date.now()): bigint | undefined {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), period: PERIOD_SECONDS });
  const delta = totp.validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? undefined : BigInt(Math.floor(now / 1000 / PERIOD_SECONDS) + delta);
}

/** For tests and tools that act as the authenticator app. */
export function currentTotpCode(secret: string, now = Date.now()): string {
  return new TOTP({ secret: Secret.fromBase32(secret), period: PERIOD_SECONDS }).generate({ timestamp: now });
}

/** Ten one-time recovery codes such as `7KQ4-M2XP-9TZC`, unambiguous to read aloud. */
export function newRecoveryCodes(count = 10): string[] {
  const alphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(12);
    const chars = Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
  });
}

export function normaliseRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[^0-9A-Z]/g, '');
}
