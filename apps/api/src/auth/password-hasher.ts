import { hash, verify, argon2id } from 'argon2';

/**
 * argon2id with OWASP's second recommended setting (19 MiB, t=2, p=1): a hash takes ~30 ms here,
 * which bounds what a stolen hash table is worth without making login slow.
 */
const ARGON2_OPTIONS = { type: argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password);
}
