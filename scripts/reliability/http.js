'use strict';
/**
 * A small HTTP client that reports failures as data: the scripts count refused, reset and timed-out
 * requests among the answers instead of stopping at the first one.
 */
const { Buffer } = require('node:buffer');
const http = require('node:http');
const { performance } = require('node:perf_hooks');

// Kept-alive sockets, so that the figures measure the API rather than TCP set-up.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** One HTTP exchange; never throws: a network failure is status 0 with `error`. */
function request(method, url, { headers = {}, body, localAddress, timeout = 30_000 } = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    const target = new URL(url);
    const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const req = http.request(
      {
        method,
        hostname: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        agent,
        localAddress,
        timeout,
        headers: {
          accept: 'application/json',
          ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode, headers: res.headers, body: parsed, ms: performance.now() - started, at: Date.now() });
        });
        res.on('error', (error) => resolve({ status: 0, error: error.code || error.message, ms: performance.now() - started, at: Date.now() }));
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (error) => resolve({ status: 0, error: error.code || error.message, ms: performance.now() - started, at: Date.now() }));
    if (payload) req.write(payload);
    req.end();
  });
}

module.exports = { request };
