import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import ipaddr from 'ipaddr.js';
import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Environment } from '@cbm/common';
import { PermanentDeliveryError } from '../mailer';
import { signWebhook } from './webhook-signature';

export interface WebhookCall {
  url: string;
  secret: string;
  body: string;
  headers: Record<string, string>;
}

/** Is an address one that a webhook may reach? Only public unicast, unless private targets are allowed. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const ipv6 = parsed as ipaddr.IPv6;
    // IPv4-mapped (::ffff:a.b.c.d) and the deprecated IPv4-compatible (::a.b.c.d) forms: judge the IPv4 address.
    if (ipv6.isIPv4MappedAddress()) parsed = ipv6.toIPv4Address();
    else if (ipv6.parts.slice(0, 6).every((part) => part === 0)) {
      parsed = ipaddr.fromByteArray(ipv6.toByteArray().slice(12));
    }
  }
  return parsed.range() === 'unicast';
}

/**
 * POSTs signed events. The address check runs inside the socket's DNS lookup, on the address that is
 * actually dialled, so a name that resolves to a public address when registered and to 10.0.0.1 at
 * delivery (DNS rebinding) is refused too. Redirects are not followed: a 3xx is a failure.
 */
@Injectable()
export class WebhookClient {
  private readonly allowPrivate: boolean;
  private readonly timeoutMs: number;

  constructor(config: ConfigService<Environment, true>) {
    this.allowPrivate = config.get('WEBHOOK_ALLOW_PRIVATE_TARGETS', { infer: true });
    this.timeoutMs = config.get('DELIVERY_TIMEOUT_MS', { infer: true });
  }

  /** Whether a URL may be registered: http(s), and a literal address must be public. */
  acceptsUrl(url: string): string | undefined {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return 'must be an absolute http(s) URL';
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'must be an http(s) URL';
    if (parsed.username || parsed.password) return 'must not contain credentials';
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    if (!this.allowPrivate && (host === 'localhost' || (ipaddr.isValid(host) && !isPublicAddress(host)))) {
      return 'must not point at a loopback or private address';
    }
    return undefined;
  }

  post(call: WebhookCall): Promise<string> {
    const url = new URL(call.url);
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(call.body)),
      'user-agent': 'CBM-Registry-Webhooks/1',
      'x-cbm-signature': signWebhook(call.secret, timestamp, call.body),
      ...call.headers,
    };
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const outgoing = client.request(url, { method: 'POST', headers, lookup: this.guardedLookup(), timeout: this.timeoutMs }, (response) => {
        response.resume();
        const status = response.statusCode ?? 0;
        const line = `HTTP ${status} ${response.statusMessage ?? ''}`.trim();
        if (status >= 200 && status < 300) resolve(line);
        else if (status === 410) reject(new PermanentDeliveryError(`${line}: the receiver says the webhook is gone`));
        else reject(new Error(line));
      });
      outgoing.on('timeout', () => outgoing.destroy(new Error(`No answer within ${this.timeoutMs} ms`)));
      // The socket timeout only fires on silence: a receiver trickling a byte at a time would hold
      // the worker forever. This deadline covers the whole call.
      const deadline = setTimeout(() => outgoing.destroy(new Error(`No complete answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      outgoing.on('close', () => clearTimeout(deadline));
      outgoing.on('error', reject);
      outgoing.end(call.body);
    });
  }

  private guardedLookup(): LookupFunction {
    const allowPrivate = this.allowPrivate;
    return ((hostname: string, options: object, callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
      dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
        if (error) return callback(error, []);
        const list = addresses as LookupAddress[];
        const refused = list.find((entry) => !allowPrivate && !isPublicAddress(entry.address));
        // The message does not say which address: it is shown to the State's administrators, and
        // must not map the network the service runs in.
        if (refused) return callback(Object.assign(new Error(`${hostname} resolves to a loopback or private address, which webhooks may not reach`), { code: 'EADDRNOTALLOWED' }), []);
        if ((options as { all?: boolean }).all) return callback(null, list);
        return callback(null, list[0].address, list[0].family);
      });
    }) as LookupFunction;
  }
}
