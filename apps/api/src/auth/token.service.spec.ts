import { JwtService } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { TOKEN_ALGORITHM, TokenService } from './token.service';

function tokenService(secret = 'a-test-secret-of-enough-length-0123456789') {
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  return new TokenService(new JwtService({ secret: key, signOptions: { algorithm: TOKEN_ALGORITHM }, verifyOptions: { algorithms: [TOKEN_ALGORITHM] } }));
}

describe('TokenService.verifyAccessToken', () => {
  const claims = { sub: '6f1c7a52-08c7-4c0e-9d3b-3c1f4f0d2b11', sid: '0b6c5a4e-7d21-4a3f-8e9c-5d2f1a0b3c44' };
  afterEach(() => jest.restoreAllMocks());

  it('accepts a token it signed, again and again', () => {
    const tokens = tokenService();
    const token = tokens.signAccessToken(claims, 600);
    expect(tokens.verifyAccessToken(token)).toEqual(claims);
    expect(tokens.verifyAccessToken(token)).toEqual(claims);
  });

  it('refuses an edited token even after the original was verified and kept', () => {
    const tokens = tokenService();
    const token = tokens.signAccessToken(claims, 600);
    expect(tokens.verifyAccessToken(token)).toEqual(claims);
    const [header, payload, signature] = token.split('.');
    const editedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'someone-else' })).toString('base64url');
    expect(tokens.verifyAccessToken(`${header}.${editedPayload}.${signature}`)).toBeUndefined();
    const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);
    expect(tokens.verifyAccessToken(`${header}.${payload}.${flipped}`)).toBeUndefined();
    expect(tokens.verifyAccessToken(tokenService('another-secret-of-enough-length-9876543210').signAccessToken(claims, 600))).toBeUndefined();
  });

  it('refuses a kept token once it has expired', () => {
    const tokens = tokenService();
    const now = Date.now();
    const token = tokens.signAccessToken(claims, 60);
    expect(tokens.verifyAccessToken(token)).toEqual(claims);
    jest.spyOn(Date, 'now').mockReturnValue(now + 61_000);
    expect(tokens.verifyAccessToken(token)).toBeUndefined();
  });

  it('refuses a token signed for another purpose (an MFA challenge)', () => {
    const tokens = tokenService();
    expect(tokens.verifyAccessToken(tokens.signMfaChallenge(claims.sub).token)).toBeUndefined();
  });
});
