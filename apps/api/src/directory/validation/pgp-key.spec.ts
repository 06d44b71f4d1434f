import { generateKey } from 'openpgp';
import { readPublicKey } from './pgp-key';

async function keyPair(options: { expiresInSeconds?: number; createdDaysAgo?: number } = {}) {
  return generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ name: 'CERT duty officer', email: 'duty@cert.example' }],
    keyExpirationTime: options.expiresInSeconds ?? 0,
    date: new Date(Date.now() - (options.createdDaysAgo ?? 0) * 86_400_000),
    format: 'armored',
  });
}

describe('readPublicKey', () => {
  it('reads the fingerprint, algorithm and expiry of a public key', async () => {
    const { publicKey } = await keyPair({ expiresInSeconds: 90 * 86_400 });
    const facts = await readPublicKey(publicKey);
    expect(facts.fingerprint).toMatch(/^[0-9A-F]{40}$/);
    expect(facts.algorithm).toMatch(/^eddsa/i);
    expect(facts.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 89 * 86_400_000);
  });

  it('accepts a key that never expires', async () => {
    const { publicKey } = await keyPair();
    expect((await readPublicKey(publicKey)).expiresAt).toBeNull();
  });

  it('refuses a private key, garbage and an expired key, naming the field', async () => {
    const { privateKey } = await keyPair();
    await expect(readPublicKey(privateKey)).rejects.toMatchObject({ errors: [{ field: 'pgpKey', message: expect.stringMatching(/private key/) }] });
    await expect(readPublicKey('-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot a key\n-----END PGP PUBLIC KEY BLOCK-----')).rejects.toMatchObject({
      errors: [{ field: 'pgpKey', message: 'is not an armored OpenPGP public key' }],
    });
    const expired = await keyPair({ createdDaysAgo: 10, expiresInSeconds: 86_400 });
    await expect(readPublicKey(expired.publicKey)).rejects.toMatchObject({ errors: [{ field: 'pgpKey', message: expect.stringMatching(/expired/) }] });
  });
});
