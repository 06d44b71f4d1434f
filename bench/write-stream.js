'use strict';
/* global clearInterval, setInterval, performance */
/**
 * A steady stream of writes beside a load run, in its own process (like load.js): `rate` requests a
 * second for `duration` seconds, each sent at its scheduled time whether or not the earlier ones have
 * answered (an open loop: a server that falls behind shows as latency and as a lower achieved rate,
 * not as a slower stream). Latency counts from the scheduled time, so time spent waiting for a free
 * socket is counted too. Reads a JSON job from argv[2], prints a JSON summary.
 *
 * job: { url, rate, duration, method, requests: [{ path, headers }] } — taken in turn.
 */
const http = require('node:http');

const job = JSON.parse(process.argv[2]);
const target = new URL(job.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const latencies = [];
const statusCodes = {};
let sent = 0;
let answered2xx = 0;
let errors = 0;

function send(scheduledAt, spec) {
  sent++;
  const request = http.request(
    { host: target.hostname, port: target.port, method: job.method ?? 'POST', path: spec.path, headers: { 'content-length': 0, ...spec.headers }, agent },
    (response) => {
      response.resume();
      response.on('end', () => {
        statusCodes[response.statusCode] = (statusCodes[response.statusCode] ?? 0) + 1;
        if (response.statusCode >= 200 && response.statusCode < 300) {
          answered2xx++;
          latencies.push(performance.now() - scheduledAt);
        }
        settle();
      });
    },
  );
  request.setTimeout(10_000, () => request.destroy(new Error('timeout')));
  request.on('error', () => {
    errors++;
    settle();
  });
  request.end();
}

let pending = 0;
let finishing = false;
function settle() {
  pending--;
  if (finishing && pending === 0) report();
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function report() {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (value) => (value === null ? null : Number(value.toFixed(2)));
  process.stdout.write(
    JSON.stringify({
      askedRate: job.rate,
      sent,
      achievedRate: round(answered2xx / job.duration),
      p50: round(percentile(sorted, 50)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted[sorted.length - 1] ?? null),
      non2xx: sent - answered2xx,
      errors,
      statusCodes,
    }),
  );
  agent.destroy();
}

const start = performance.now();
const intervalMs = 1000 / job.rate;
const total = Math.round(job.rate * job.duration);
let next = 0;
// A timer per tick would drift under load; each tick sends every write whose time has come.
const timer = setInterval(() => {
  const now = performance.now();
  while (next < total && start + next * intervalMs <= now) {
    const scheduledAt = start + next * intervalMs;
    pending++;
    send(scheduledAt, job.requests[next % job.requests.length]);
    next++;
  }
  if (next >= total) {
    clearInterval(timer);
    finishing = true;
    if (pending === 0) report();
  }
}, Math.min(5, intervalMs));
