import { Algorithm, hash, verify } from '@node-rs/argon2';

/**
 * argon2id with OWASP's second recommended setting (19 MiB, t=2, p=1): ~40 ms a hash here, which
 * bounds what a stolen hash table is worth without making sign-in slow. @node-rs/argon2 ships its
 * binary in a per-platform npm package, so nothing is compiled or downloaded at install time (the
 * `argon2` package's prebuilt binary crashed on this platform and needed a source build instead).
 */
const ARGON2_OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Unicode NFKC first: the same passphrase typed on another keyboard or system (composed "é" or "e" +
 * combining accent, full-width letters) must match what was set.
 */
export function normalisePassword(password: string): string {
  return password.normalize('NFKC');
}

export function hashPassword(password: string): Promise<string> {
  return hash(normalisePassword(password), ARGON2_OPTIONS);
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, normalisePassword(password));
}
