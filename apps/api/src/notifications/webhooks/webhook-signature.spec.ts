import { SIGNATURE_HEADER, signWebhook, verifyWebhookSignature } from './webhook-signature';

/**
 * Known answers for X-CBM-Signature: the header is a contract with every receiver, so the expected
 * value is a literal, computed outside this code base from the README's recipe
 * (HMAC-SHA256(key = secret, message = t + "." + raw body), hex) with
 *   printf '%s' "1764170000.$BODY" | openssl dgst -sha256 -hmac 'whsec_known-answer-secret-2026'
 */
const SECRET = 'whsec_known-answer-secret-2026';
const TIMESTAMP = 1764170000;
const BODY = '{"id":"0b9f4a52-6d1e-4c3a-9f7e-2a8d5c1b3e70","type":"webhook.ping","occurredAt":"2025-11-26T15:13:20.000Z","state":"LVA","data":{}}';
const EXPECTED = 't=1764170000,v1=9381fecb398c8083b2b09e0371491ad928b47464b2205276d761402e8d9092b2';
const AT_TIMESTAMP = TIMESTAMP * 1000;

describe('webhook signature', () => {
  it('signs a fixed secret, timestamp and body to a fixed header value (known-answer vector)', () => {
    expect(SIGNATURE_HEADER).toBe('x-cbm-signature');
    expect(signWebhook(SECRET, TIMESTAMP, BODY)).toBe(EXPECTED);
  });

  it('accepts the known signature and refuses it for any other body, secret or a stale timestamp', () => {
    expect(verifyWebhookSignature(SECRET, EXPECTED, BODY, 300, AT_TIMESTAMP)).toBe(true);
    expect(verifyWebhookSignature(SECRET, EXPECTED, BODY, 300, AT_TIMESTAMP + 300_000)).toBe(true);
    expect(verifyWebhookSignature(SECRET, EXPECTED, BODY, 300, AT_TIMESTAMP + 301_000)).toBe(false);
    expect(verifyWebhookSignature(SECRET, EXPECTED, BODY.replace('LVA', 'EST'), 300, AT_TIMESTAMP)).toBe(false);
    expect(verifyWebhookSignature(SECRET, EXPECTED, `${BODY} `, 300, AT_TIMESTAMP)).toBe(false);
    expect(verifyWebhookSignature('whsec_wrong', EXPECTED, BODY, 300, AT_TIMESTAMP)).toBe(false);
    // The timestamp is signed: moving it (to pass the replay window) breaks the signature.
    expect(verifyWebhookSignature(SECRET, EXPECTED.replace('t=1764170000', 't=1764170001'), BODY, 300, AT_TIMESTAMP)).toBe(false);
    expect(verifyWebhookSignature(SECRET, undefined, BODY, 300, AT_TIMESTAMP)).toBe(false);
  });
});
