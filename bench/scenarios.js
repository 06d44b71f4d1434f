'use strict';
/**
 * The load scenarios: each drives one server with autocannon (bench/load.js, a child process so
 * that the load generator's CPU is not counted in the harness), sampling CPU, memory, statements and
 * database sessions around the run. A scenario warms both servers up, then measures them
 * interleaved — API, reference, API, reference… — so that both see the same machine.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');
const { sleep, withClient } = require('../scripts/reliability/lib');
const { BENCH_STATE, LIST_STATES, PARTICIPATING, SEARCH_TERMS } = require('./seed');
const { cpuSecondsOf, postgresCpuSeconds, postgresCpuSpent, sampleRss, sampleSessions, statementsSent } = require('./sampling');
const { signInBoth, signInWriters, WRITER_STATES } = require('./users');
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

/**
 * A scenario's name says what it reads and what else happens meanwhile: `list`, `list@10w` (the
 * list while the directory takes 10 writes a second), `list-cold` (the list with the API's read
 * cache off: every answer from PostgreSQL).
 */
function parseScenario(name) {
  const churn = name.match(/^(list|disclosures)@(\d+)w$/);
  if (churn) return { reads: churn[1], writeRate: Number(churn[2]) };
  if (name === 'list-cold') return { reads: 'list', cold: true };
  return { reads: name };
}

/**
 * The churn scenarios' writes: `POST /contacts/:id/verify` on contacts the list pages show, taken in
 * turn over the writing States (each by its own officer; the reference: the same UPDATE, bare).
 */
async function writeTargets(databaseUrl) {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query(
      `SELECT "id", "stateCode" FROM (
         SELECT c."id", c."stateCode", row_number() OVER (PARTITION BY c."stateCode" ORDER BY c."name", c."id") AS position
           FROM "contact" c WHERE c."status" = 'ACTIVE' AND c."stateCode" = ANY ($1)) ranked
        WHERE position <= 10 ORDER BY position, "stateCode"`,
      [WRITER_STATES],
    );
    return rows;
  });
}

/** The contacts to verify and the officers' tokens, once per run, for a scenario with writes. */
async function prepareWrites(name, ctx, apiBase) {
  if (!parseScenario(name).writeRate) return;
  ctx.writeTargets ??= await writeTargets(ctx.databaseUrl);
  ctx.writerTokens ??= await signInWriters(apiBase);
}

function writeJob(target, ctx, rate, seconds) {
  const requests = ctx.writeTargets.map(({ id, stateCode }) =>
    target.kind === 'api'
      ? { path: `/api/v1/contacts/${id}/verify`, headers: { authorization: `Bearer ${ctx.writerTokens[stateCode]}` } }
      : { path: `/contacts/${id}/verify`, headers: {} },
  );
  return { url: target.base, rate, duration: seconds, method: 'POST', requests };
}

function runChild(script, job) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, script), JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        const result = JSON.parse(output);
        if (code !== 0 || result.error) reject(new Error(`${script} failed: ${output}`));
        else resolve(result);
      } catch {
        reject(new Error(`${script} failed (${code}): ${output}`));
      }
    });
  });
}

/**
 * One autocannon run of `seconds` against one server (`target.kind`: 'api' or 'reference'; `target.server`
 * its process), with a stream of `writeRate` writes a second beside it when the scenario has one.
 */
async function measure(name, target, tokens, seconds, tag, ctx) {
  const { reads, writeRate } = parseScenario(name);
  const job = { ...scenarioJob(reads, target, tokens, tag), url: target.base, connections: ctx.options.connections, duration: seconds };
  const server = target.server ?? ctx[target.kind];
  const before = await statementsSent(server);
  const cpuBefore = { server: cpuSecondsOf(server.pid), postgres: postgresCpuSeconds() };
  const stop = sampleRss({ [target.kind]: server.pid });
  const stopSessions = sampleSessions(ctx.databaseUrl, target.kind === 'api' ? 'cbm-registry' : 'cbm-bench-reference');
  const [result, writes] = await Promise.all([
    runChild('load.js', job),
    writeRate ? runChild('write-stream.js', writeJob(target, ctx, writeRate, seconds)) : undefined,
  ]);
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
    sqlPerRequest: round((after - before) / Math.max(1, result.requests + result.errors + result.timeouts + (writes?.sent ?? 0)), 2),
    dbSessions,
    writes,
  };
}

/** The medians of the write streams beside one server's runs. */
function summariseWrites(list) {
  if (!list[0]) return undefined;
  return {
    askedRate: list[0].askedRate,
    achievedRate: round(median(list.map((w) => w.achievedRate)), 1),
    p50: round(median(list.map((w) => w.p50 ?? Infinity)), 2),
    p99: round(median(list.map((w) => w.p99 ?? Infinity)), 2),
    non2xx: list.reduce((sum, w) => sum + w.non2xx, 0),
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
    writes: summariseWrites(list.map((r) => r.writes)),
  };
}

function logRun(name, repeat, kind, result) {
  log(
    `${name} #${repeat} ${kind.padEnd(9)} ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms` +
      `  non-2xx ${result.non2xx}  errors ${result.errors + result.timeouts}  SQL/req ${result.sqlPerRequest}  peak RSS ${result.peakRssMb} MB` +
      `  CPU µs/req ${result.cpuMicrosPerRequest} (PostgreSQL ${result.postgresCpuMicrosPerRequest})` +
      `  db sessions ${JSON.stringify(result.dbSessions)}` +
      (result.writes ? `  writes ${result.writes.achievedRate}/${result.writes.askedRate} per s, p50 ${result.writes.p50} p99 ${result.writes.p99} ms, non-2xx ${result.writes.non2xx}` : ''),
  );
}

/** `measured`: the API process to measure (another than ctx.api for list-cold). */
async function runScenario(name, ctx, measured = { base: ctx.apiBase, server: ctx.api }) {
  const { warmup, repeats, duration } = ctx.options;
  const tokens = await signInBoth(measured.base);
  await prepareWrites(name, ctx, measured.base);
  const targets = [
    { kind: 'api', base: measured.base, server: measured.server },
    { kind: 'reference', base: ctx.referenceBase, server: ctx.reference },
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

module.exports = { measure, parseScenario, prepareWrites, runScenario };
