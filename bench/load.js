'use strict';
/**
 * One autocannon run, in its own process so that the load generator's CPU is not counted in the
 * harness (nor in the server under test). Reads a JSON job from argv[2], prints a JSON summary.
 *
 * job: { url, connections, duration, method, paths: [..], headers, body?, idempotencyPrefix?, recipients? }
 * - paths are taken in turn, one per request (list States, search terms);
 * - for POST /requests, each request gets a unique Idempotency-Key and the next recipient.
 */
const autocannon = require('autocannon');

const job = JSON.parse(process.argv[2]);
let next = 0;

const request = {
  method: job.method ?? 'GET',
  path: job.paths[0],
  headers: job.headers ?? {},
  setupRequest(req) {
    const n = next++;
    const out = { ...req, path: job.paths[n % job.paths.length] };
    if (job.idempotencyPrefix) {
      const recipient = job.recipients[n % job.recipients.length];
      out.headers = { ...req.headers, 'idempotency-key': `${job.idempotencyPrefix}-${n}` };
      out.body = JSON.stringify({ ...job.body, title: `${job.body.title} ${n}`, recipients: [recipient] });
    }
    return out;
  },
};

const instance = autocannon(
  {
    url: job.url,
    connections: job.connections,
    duration: job.duration,
    pipelining: 1,
    timeout: job.timeout ?? 10,
    requests: [request],
  },
  (error, result) => {
    if (error) {
      process.stdout.write(JSON.stringify({ error: String(error) }));
      process.exit(1);
    }
    const seconds = (result.finish - result.start) / 1000 || job.duration;
    process.stdout.write(
      JSON.stringify({
        requests: result.requests.total,
        rps: result.requests.total / seconds,
        rpsAverage: result.requests.average,
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        max: result.latency.max,
        mean: result.latency.mean,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        statusCodes: result.statusCodeStats,
        bytesPerSecond: result.throughput.average,
        seconds,
      }),
    );
  },
);
process.on('SIGTERM', () => instance.stop());
