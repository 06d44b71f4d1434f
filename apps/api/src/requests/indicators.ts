import { isIP, isIPv4, isIPv6 } from 'node:net';
import { isEmail, isFQDN, isURL } from 'class-validator';

export const INDICATOR_TYPES = ['IPV4', 'IPV6', 'CIDR', 'DOMAIN', 'URL', 'EMAIL', 'ASN', 'MD5', 'SHA1', 'SHA256'] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

const HEX_LENGTH: Partial<Record<IndicatorType, number>> = { MD5: 32, SHA1: 40, SHA256: 64 };

/** Whether `value` is a well-formed indicator of `type` (999.1.1.1 is no IPv4, 63 hex digits no SHA-256). */
export function isValidIndicator(type: IndicatorType, value: string): boolean {
  switch (type) {
    case 'IPV4':
      return isIPv4(value);
    case 'IPV6':
      return isIPv6(value);
    case 'CIDR': {
      const [address, prefix, ...rest] = value.split('/');
      if (rest.length > 0 || prefix === undefined || !/^\d{1,3}$/.test(prefix)) return false;
      const version = isIP(address);
      return version !== 0 && Number(prefix) <= (version === 4 ? 32 : 128);
    }
    case 'DOMAIN':
      return value.length <= 253 && isFQDN(value, { require_tld: true, allow_underscores: true });
    case 'URL':
      return value.length <= 2048 && isURL(value, { protocols: ['http', 'https', 'ftp'], require_protocol: true });
    case 'EMAIL':
      return isEmail(value);
    case 'ASN': {
      const match = /^(?:AS)?(\d{1,10})$/i.exec(value);
      return match !== null && Number(match[1]) <= 4_294_967_295;
    }
    default:
      return new RegExp(`^[0-9a-fA-F]{${HEX_LENGTH[type]}}$`).test(value);
  }
}
