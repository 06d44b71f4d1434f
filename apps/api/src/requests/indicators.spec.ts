import { isValidIndicator } from './indicators';

describe('indicators', () => {
  it.each([
    ['IPV4', '203.0.113.7'],
    ['IPV6', '2001:db8::1'],
    ['CIDR', '198.51.100.0/24'],
    ['CIDR', '2001:db8::/32'],
    ['DOMAIN', 'c2.bad-actor.example'],
    ['URL', 'https://bad-actor.example/payload.bin'],
    ['EMAIL', 'phish@bad-actor.example'],
    ['ASN', 'AS64500'],
    ['MD5', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['SHA1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['SHA256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ] as const)('accepts %s %s', (type, value) => expect(isValidIndicator(type, value)).toBe(true));

  it.each([
    ['IPV4', '999.1.1.1'],
    ['IPV6', '2001:db8:::1'],
    ['CIDR', '10.0.0.0/33'],
    ['DOMAIN', 'not a domain'],
    ['URL', 'javascript:alert(1)'],
    ['ASN', 'AS99999999999'],
    ['SHA256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85'],
    ['MD5', 'zz1d8cd98f00b204e9800998ecf8427e'],
  ] as const)('refuses %s %s', (type, value) => expect(isValidIndicator(type, value)).toBe(false));
});
