import { readKey } from 'openpgp';
import { DomainError } from '@cbm/common';

export interface PgpKeyFacts {
  fingerprint: string;
  algorithm: string;
  /** Null when the key does not expire. */
  expiresAt: Date | null;
}

const MAX_ARMORED_LENGTH = 64 * 1024;

/**
 * Reads an armored OpenPGP public key with openpgp.js. Refuses anything that is not a usable public
 * key: garbage, a private key (which must never be uploaded to a directory), a revoked or expired key.
 */
export async function readPublicKey(armored: string, field = 'pgpKey'): Promise<PgpKeyFacts> {
  const refuse = (message: string) => DomainError.validation([{ field, message }]);
  if (armored.length > MAX_ARMORED_LENGTH) throw refuse(`must be at most ${MAX_ARMORED_LENGTH} characters`);
  if (/-----BEGIN PGP PRIVATE KEY BLOCK-----/.test(armored)) {
    throw refuse('is a private key: upload only the public key (and consider this private key exposed)');
  }
  let key: Awaited<ReturnType<typeof readKey>>;
  try {
    key = await readKey({ armoredKey: armored });
  } catch {
    throw refuse('is not an armored OpenPGP public key');
  }
  if (key.isPrivate()) throw refuse('is a private key: upload only the public key (and consider this private key exposed)');
  if (await key.isRevoked()) throw refuse('is revoked');
  const expiration = await key.getExpirationTime();
  const expiresAt = expiration instanceof Date ? expiration : null;
  if (expiration === null || (expiresAt && expiresAt.getTime() <= Date.now())) throw refuse('has expired or has no valid self-signature');
  const info = key.getAlgorithmInfo();
  const algorithm = 'bits' in info && info.bits ? `${info.algorithm}-${info.bits}` : 'curve' in info && info.curve ? `${info.algorithm}-${info.curve}` : info.algorithm;
  return { fingerprint: key.getFingerprint().toUpperCase(), algorithm: String(algorithm), expiresAt };
}
