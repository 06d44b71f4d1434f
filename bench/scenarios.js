'use strict';
/**
 * The load scenarios: each drives one server with autocannon (bench/load.js, a child process so
 * that the load generator's CPU is not counted in the harness), sampling CPU, memory, statements and
 * database sessions around the run. A scenario warms both servers up, then measures them
 * interleaved — API, reference, API, reference… — so that both see the same machine.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');
const { sleep } = require('../scripts/reliability/lib');
const { BENCH_STATE, LIST_STATES, PARTICIPATING, SEARCH_TERMS } = require('./seed');
const { cpuSecondsOf, postgresCpuSeconds, postgresCpuSpent, sampleRss, sampleSessions, statementsSent } = require('./sampling');
const { signInBoth } = require('./users');
const { log, median, medianOrNull, round } = require('./util');

function scenarioJob(name, target, tokens, tag) {
  const auth = target.kind === 'api' ? { authorization: `Bearer ${tokens[name === 'create-request' ? 'officer' : 'viewer']}` } : {};
  switch (name) {
    case 'list':
      return { method: 'GET', paths: LIST_STATES.map((state) => `/api/v1/contacts?state=${state}&limit=50`), headers: auth };
    case 'search':
      return { method: 'GET', paths: SEARCH_TERMS.map((term) => `/api/v1/contacts?q=${encodeURIComponent(term)}`), headers: auth };
    case 'disclosures':
      return { method: 'GET', paths: ['/api/v1/disclosures'], headers: auth };
    case 'create-request':
      return {
        method: 'POST',
        paths: ['/api/v1/requests'],
        headers: { ...auth, 'content-type': 'application/json' },
        idempotencyPrefix: `bench-${tag}`,
        recipients: PARTICIPATING.filter((code) => code !== BENCH_STATE),
        body: {
          type: 'ASSISTANCE',
          urgency: 'URGENT',
          title: 'bench-load',
          description: 'Ransomware on a hospital network; we ask for indicators and mitigation advice.',
          sectors: ['HEALTH'],
          indicators: [{ type: 'IPV4', value: '203.0.113.7' }, { type: 'DOMAIN', value: 'bad.example' }],
          tlp: 'AMBER',
          language: 'en',
        },
      };
    default:
      throw new Error(`Unknown scenario ${name}`);
  }
}

function runLoad(job) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'load.js'), JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        const result = JSON.parse(output);
        if (code !== 0 || result.error) reject(new Error(`autocannon failed: ${output}`));
        else resolve(result);
      } catch {
        reject(new Error(`autocannon failed (${code}): ${output}`));
      }
    });
  });
}

/** One autocannon run of `seconds` against one server (`target.kind`: 'api' or 'reference'). */
async function measure(name, target, tokens, seconds, tag, ctx) {
  const job = { ...scenarioJob(name, target, tokens, tag), url: target.base, connections: ctx.options.connections, duration: seconds };
  const server = ctx[target.kind];
  const before = await statementsSent(server);
  const cpuBefore = { server: cpuSecondsOf(server.pid), postgres: postgresCpuSeconds() };
  const stop = sampleRss({ api: ctx.api.pid, reference: ctx.reference.pid });
  const stopSessions = sampleSessions(ctx.databaseUrl, target.kind === 'api' ? 'cbm-registry' : 'cbm-bench-reference');
  const result = await runLoad(job);
  const peaks = stop();
  const dbSessions = await stopSessions();
  await sleep(200); // let requests cut off by the end of the run finish their statements
  const after = await statementsSent(server);
  const answered = Math.max(1, result.requests);
  // Microseconds of CPU per answered request: steadier than req/s on a shared machine, and what
  // decides req/s once a server's one thread is busy.
  const cpuMicros = (seconds) => (Number.isFinite(seconds) ? Math.round((seconds * 1e6) / answered) : null);
  return {
    ...result,
    cpuMicrosPerRequest: cpuMicros(cpuSecondsOf(server.pid) - cpuBefore.server),
    postgresCpuMicrosPerRequest: cpuMicros(postgresCpuSpent(cpuBefore.postgres, postgresCpuSeconds())),
    peakRssMb: round(peaks[target.kind], 1),
    sqlPerRequest: round((after - before) / Math.max(1, result.requests + result.errors + result.timeouts), 2),
    dbSessions,
  };
}

/** The medians of one server's measured runs (errors and timeouts count as non-2xx). */
function summarise(list) {
  return {
    rps: round(median(list.map((r) => r.rps)), 1),
    p50: round(median(list.map((r) => r.p50)), 2),
    p99: round(median(list.map((r) => r.p99)), 2),
    non2xx: list.reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0),
    statusCodes: list.reduce((codes, r) => {
      for (const [code, stats] of Object.entries(r.statusCodes ?? {})) codes[code] = (codes[code] ?? 0) + stats.count;
      return codes;
    }, {}),
    peakRssMb: round(Math.max(...list.map((r) => r.peakRssMb)), 1),
    sqlPerRequest: round(median(list.map((r) => r.sqlPerRequest)), 2),
    cpuMicrosPerRequest: medianOrNull(list.map((r) => r.cpuMicrosPerRequest)),
    postgresCpuMicrosPerRequest: medianOrNull(list.map((r) => r.postgresCpuMicrosPerRequest)),
    dbSessions: list[list.length - 1].dbSessions,
  };
}

function logRun(name, repeat, kind, result) {
  log(
    `${name} #${repeat} ${kind.padEnd(9)} ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms` +
      `  non-2xx ${result.non2xx}  errors ${result.errors + result.timeouts}  SQL/req ${result.sqlPerRequest}  peak RSS ${result.peakRssMb} MB` +
      `  CPU µs/req ${result.cpuMicrosPerRequest} (PostgreSQL ${result.postgresCpuMicrosPerRequest})` +
      `  db sessions ${JSON.stringify(result.dbSessions)}`,
  );
}

async function runScenario(name, ctx) {
  const { warmup, repeats, duration } = ctx.options;
  const tokens = await signInBoth(ctx.apiBase);
  const targets = [
    { kind: 'api', base: ctx.apiBase },
    { kind: 'reference', base: ctx.referenceBase },
  ];
  log(`${name}: warm-up ${warmup} s each`);
  for (const target of targets) await measure(name, target, tokens, warmup, `${ctx.runId}-${target.kind}-warm`, ctx);
  const runs = { api: [], reference: [] };
  for (let repeat = 1; repeat <= repeats; repeat++) {
    for (const target of targets) {
      const result = await measure(name, target, tokens, duration, `${ctx.runId}-${target.kind}-${repeat}`, ctx);
      runs[target.kind].push(result);
      logRun(name, repeat, target.kind, result);
    }
  }
  const api = summarise(runs.api);
  const reference = summarise(runs.reference);
  // Pairs measured back to back saw the same machine: their ratios are steadier than the ratio of medians.
  const pairRatios = runs.api.map((run, i) => run.rps / runs.reference[i].rps);
  return {
    api,
    reference,
    ratio: round(median(pairRatios), 3),
    pairRatios: pairRatios.map((value) => round(value, 3)),
    p99Ratio: round(api.p99 / reference.p99, 2),
    runs,
  };
}

module.exports = { measure, runScenario };
