'use strict';
/* global Buffer, fetch, setTimeout, clearTimeout, setInterval, clearInterval */
/**
 * npm run bench [-- --small] [--duration=10] [--warmup=5] [--repeats=3] [--connections=50]
 *               [--scenarios=list,search,create-request,disclosures,export] [--profile=<scenario>]
 *               [--no-build] [--reseed]
 *
 * Seeds a dedicated database, starts the API as built for production and the reference server
 * (bench/reference-server.js) side by side on the same database, checks that both give the same
 * answers, then drives each scenario with autocannon (a child process) — warm-up, then API and
 * reference interleaved, `repeats` times — and reports req/s, p50/p99, non-2xx and the ratio to the
 * reference measured in the same run, with the API's peak RSS. Writes bench/results/latest.json
 * (keeping the other data set's last results) and prints a table. See bench/README.md.
 */
const { spawn, spawnSync } = require('node:child_process');
const { createHash, randomBytes } = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { Client } = require('pg');
const { withClient } = require('../scripts/reliability/lib');
const { prepareBenchDatabase, BENCH_STATE, LIST_STATES, PARTICIPATING, SEARCH_TERMS, ROOT } = require('./seed');

// ---------------------------------------------------------------- options
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name, fallback) => {
  const found = argv.find((arg) => arg.startsWith(`--${name}=`));
  return found ? found.slice(name.length + 3) : fallback;
};
const SIZE = flag('small') ? 'small' : 'default';
const DURATION = Number(option('duration', 10));
const WARMUP = Number(option('warmup', 5));
const REPEATS = Number(option('repeats', 3));
const CONNECTIONS = Number(option('connections', 50));
// Export first: its memory is measured before the other scenarios' load has grown the heap (after one warm-up export).
const ALL_SCENARIOS = ['export', 'list', 'search', 'create-request', 'disclosures'];
const SCENARIOS = option('scenarios', ALL_SCENARIOS.join(',')).split(',').filter(Boolean);
const PROFILE = option('profile', undefined);
const RESULTS_FILE = path.join(__dirname, 'results', 'latest.json');
const PROFILE_DIR = path.join(__dirname, '.profiles');

const TARGETS = {
  ratio: { list: 1.0, search: 0.8, 'create-request': 0.4, disclosures: 0.8 },
  p99Ratio: 1.5,
  peakRssMb: 250,
  scalingRatio: 1.2,
};

const BENCH_PASSWORD = 'bench passphrase that nobody guesses 42';
const USERS = {
  viewer: { email: `bench.viewer@${BENCH_STATE.toLowerCase()}.example`, role: 'STATE_VIEWER' },
  officer: { email: `bench.officer@${BENCH_STATE.toLowerCase()}.example`, role: 'STATE_OFFICER' },
};

/** Standard output is the report (console.log is reserved for debugging by the project's lint rules). */
const print = (line = '') => process.stdout.write(`${line}\n`);
const log = (message) => print(`[bench] ${message}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const medianOrNull = (values) => (values.every((value) => typeof value === 'number') ? median(values) : null);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const round = (value, digits = 2) => (value === null || value === undefined || Number.isNaN(value) ? null : Number(value.toFixed(digits)));

// ---------------------------------------------------------------- build
function newestMtime(dir, filter) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'generated' || entry.name === 'node_modules') continue;
      newest = Math.max(newest, newestMtime(full, filter));
    } else if (filter(entry.name)) {
      newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  }
  return newest;
}

function ensureBuilt() {
  const main = path.join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
  const sources = (name) => name.endsWith('.ts') && !name.endsWith('.spec.ts');
  const newestSource = Math.max(
    newestMtime(path.join(ROOT, 'apps'), sources),
    newestMtime(path.join(ROOT, 'libs'), sources),
    fs.statSync(path.join(ROOT, 'prisma', 'schema.prisma')).mtimeMs,
  );
  const built = fs.existsSync(main) ? fs.statSync(main).mtimeMs : 0;
  if (built >= newestSource) return log('dist/ is up to date');
  if (flag('no-build')) return log('dist/ is older than the sources, but --no-build: using it as it is');
  log('dist/ is missing or older than the sources: npm run build');
  const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run build failed');
}

// ---------------------------------------------------------------- processes
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function startProcess(name, args, env) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  const keep = (chunk) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  child.output = () => output.join('');
  child.label = name;
  return child;
}

async function waitReady(base, child, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${child.label} exited (${child.exitCode}):\n${child.output()}`);
    const status = await fetch(`${base}/health/ready`).then((r) => r.status, () => 0);
    if (status === 200) return;
    await sleep(200);
  }
  throw new Error(`${child.label} was not ready within ${timeoutMs} ms:\n${child.output()}`);
}

async function stopProcess(child) {
  if (!child || child.exitCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await child.exited;
  clearTimeout(timer);
}

function memoryOf(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field) => Number((status.match(new RegExp(`${field}:\\s+(\\d+)`)) ?? [])[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    const rss = Number(spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim());
    return { rssMb: rss / 1024, hwmMb: NaN };
  }
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ: the unit of /proc/<pid>/stat's times on Linux

/** CPU seconds (user + system) a process has used, from /proc; NaN where there is none (not Linux). */
function cpuSecondsOf(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/**
 * CPU seconds used so far by each of PostgreSQL's processes on this machine (backends, WAL writer,
 * checkpointer), by pid; null where /proc is missing (not Linux). Only meaningful when the database
 * server is local.
 */
function postgresCpuSeconds() {
  const byPid = new Map();
  try {
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (!fs.readFileSync(`/proc/${entry}/cmdline`, 'latin1').startsWith('postgres')) continue;
      } catch {
        continue;
      }
      const seconds = cpuSecondsOf(entry);
      if (Number.isFinite(seconds)) byPid.set(entry, seconds);
    }
  } catch {
    return null;
  }
  return byPid.size > 0 ? byPid : null;
}

/**
 * What PostgreSQL spent between two snapshots: each process's growth, a process started since then
 * counted from zero. A process that ended in between is left out — its share is lost, never
 * negative (a pool closing an idle backend between runs would otherwise subtract all it ever used).
 */
function postgresCpuSpent(before, after) {
  if (!before || !after) return NaN;
  let spent = 0;
  for (const [pid, seconds] of after) spent += seconds - (before.get(pid) ?? 0);
  return spent;
}

/** Polls the RSS of the given processes until stopped; returns the peaks. */
function sampleRss(pids) {
  const peaks = Object.fromEntries(Object.entries(pids).map(([name]) => [name, 0]));
  const tick = () => {
    for (const [name, pid] of Object.entries(pids)) peaks[name] = Math.max(peaks[name], memoryOf(pid).rssMb || 0);
  };
  tick();
  const timer = setInterval(tick, 100);
  return () => {
    clearInterval(timer);
    tick();
    return peaks;
  };
}

// ---------------------------------------------------------------- database helpers
async function createBenchUsers(databaseUrl) {
  const { hashPassword } = require(path.join(ROOT, 'dist', 'apps', 'api', 'src', 'auth', 'password-hasher.js'));
  const hash = await hashPassword(BENCH_PASSWORD);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const user of Object.values(USERS)) {
      await client.query(
        `INSERT INTO "user" ("id", "email", "displayName", "role", "stateCode", "passwordHash", "passwordChangedAt", "updatedAt")
         VALUES (gen_random_uuid(), $1, $2, $3::"Role", $4, $5, now(), now())
         ON CONFLICT ("email") DO UPDATE SET "passwordHash" = EXCLUDED."passwordHash", "role" = EXCLUDED."role", "stateCode" = EXCLUDED."stateCode",
           "failedLoginCount" = 0, "lockedUntil" = NULL, "disabledAt" = NULL, "mfaEnabledAt" = NULL, "mfaSecret" = NULL`,
        [user.email, `Bench ${user.role}`, user.role, BENCH_STATE, hash],
      );
    }
    await client.query(`UPDATE "state" SET "participating" = true, "mfaRequired" = false WHERE "code" = ANY ($1)`, [PARTICIPATING]);
  } finally {
    await client.end();
  }
}

/** Statements sent so far by a process running bench/pg-probe.js (it answers SIGUSR2 by writing them to a file). */
async function statementsSent(child) {
  const previous = fs.existsSync(child.probeFile) ? fs.readFileSync(child.probeFile, 'utf8') : '0 0';
  const wanted = Number(previous.split(' ')[0]) + 1;
  child.kill('SIGUSR2');
  for (let attempt = 0; attempt < 100; attempt++) {
    await sleep(20);
    const [seen, count] = (fs.existsSync(child.probeFile) ? fs.readFileSync(child.probeFile, 'utf8') : '0 0').split(' ').map(Number);
    if (seen >= wanted) return count;
  }
  return NaN;
}

/**
 * Samples what the server's database sessions are doing (pg_stat_activity, every 50 ms) while it is
 * under load: active on CPU, waiting on a lock (which), idle in a transaction, idle. Returns the
 * average number of sessions in each state.
 */
function sampleSessions(databaseUrl, applicationName) {
  const client = new Client({ connectionString: databaseUrl, application_name: 'cbm-bench-sampler' });
  const tally = new Map();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    await client.connect();
    while (running) {
      const { rows } = await client.query(
        `SELECT state, wait_event_type, wait_event FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
        [applicationName],
      );
      samples++;
      for (const row of rows) {
        const key = row.state === 'active' ? (row.wait_event_type ? `waiting ${row.wait_event_type}:${row.wait_event}` : 'active') : row.state;
        tally.set(key, (tally.get(key) ?? 0) + 1);
      }
      await sleep(50);
    }
    await client.end();
  })();
  return async () => {
    running = false;
    await loop.catch(() => undefined);
    return Object.fromEntries(
      [...tally.entries()].sort((a, b) => b[1] - a[1]).map(([key, count]) => [key, round(count / Math.max(1, samples), 2)]),
    );
  };
}

/**
 * What filing writes and the clean-up deletes. Vacuumed after the clean-up and before measuring (a run
 * stopped before its clean-up leaves dead rows), so that every run starts from the same tables
 * whether the server's autovacuum is on or not (it is off on the CI machines).
 */
const vacuumChurnedTables = (client) => client.query('VACUUM ANALYZE "request", "request_recipient", "outbox_event", "idempotency_record", "audit_journal"');

/** Requests the bench filed are removed at the end so reruns see the same data (audit events stay: append-only). */
async function cleanUp(databaseUrl, since) {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const requests = await client.query(`DELETE FROM "request" WHERE "title" LIKE 'bench-load %' AND "createdAt" >= $1`, [since]);
    const outbox = await client.query(`DELETE FROM "outbox_event" WHERE "type" = 'request.created' AND "createdAt" >= $1`, [since]);
    const keys = await client.query(`DELETE FROM "idempotency_record" WHERE "key" LIKE 'bench-%'`);
    const sessions = await client.query(
      `DELETE FROM "session" WHERE "userId" IN (SELECT "id" FROM "user" WHERE "email" = ANY ($1))`,
      [Object.values(USERS).map((user) => user.email)],
    );
    log(`Cleaned up ${requests.rowCount} requests, ${outbox.rowCount} outbox events, ${keys.rowCount} idempotency records, ${sessions.rowCount} sessions`);
    await vacuumChurnedTables(client);
  } finally {
    await client.end();
  }
}

/** EXPLAIN (ANALYZE) of the hot queries, as the API's repositories express them: are they index-backed? */
async function explainHotQueries(databaseUrl) {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const queries = {
    list: [`SELECT * FROM "contact" WHERE "status" = 'ACTIVE' AND "stateCode" = $1 ORDER BY "name", "id" LIMIT 51`, [LIST_STATES[0]]],
    search: [`SELECT * FROM "contact" WHERE "status" = 'ACTIVE' AND ("name" ILIKE $1 OR "organisation" ILIKE $1) ORDER BY "name", "id" LIMIT 51`, [`%${SEARCH_TERMS[0]}%`]],
    disclosures: [
      `SELECT d."id" FROM "disclosure" d JOIN "state" s ON s."code" = d."stateCode"
        WHERE (d."stateCode" = $1 OR (d."status" = 'PUBLISHED' AND (d."audience" IN ('PUBLIC', 'ALL_STATES') OR $1 = ANY (d."selectedStates"))))
        ORDER BY d."updatedAt" DESC, d."id" DESC LIMIT 51`,
      [BENCH_STATE],
    ],
    exportPage: [
      `SELECT * FROM "contact" WHERE "status" = 'ACTIVE' AND ("name" > $1 OR ("name" = $1 AND "id" > $2::uuid)) ORDER BY "name", "id" LIMIT 500`,
      ['M', '00000000-0000-0000-0000-000000000000'],
    ],
    auditTail: [`SELECT "seq", "hash" FROM "audit_event" ORDER BY "seq" DESC LIMIT 1`, []],
  };
  const plans = {};
  try {
    for (const [name, [sql, params]] of Object.entries(queries)) {
      const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params);
      const plan = rows[0]['QUERY PLAN'][0];
      const nodes = [];
      const walk = (node, depth) => {
        nodes.push(`${'  '.repeat(depth)}${node['Node Type']}${node['Index Name'] ? ` using ${node['Index Name']}` : ''}${node['Relation Name'] ? ` on ${node['Relation Name']}` : ''} (rows ${node['Actual Rows']}${node['Rows Removed by Filter'] ? `, removed by filter ${node['Rows Removed by Filter']}` : ''})`);
        for (const child of node.Plans ?? []) walk(child, depth + 1);
      };
      walk(plan.Plan, 0);
      plans[name] = {
        executionMs: round(plan['Execution Time'], 3),
        sharedBlocks: (plan.Plan['Shared Hit Blocks'] ?? 0) + (plan.Plan['Shared Read Blocks'] ?? 0),
        seqScan: nodes.some((line) => line.includes('Seq Scan')),
        plan: nodes,
      };
    }
  } finally {
    await client.end();
  }
  return plans;
}

// ---------------------------------------------------------------- HTTP helpers
function get(url, headers = {}) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

async function signIn(apiBase, user) {
  const response = await fetch(`${apiBase}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: BENCH_PASSWORD }),
  });
  const body = await response.json();
  if (response.status !== 200 || !body.accessToken) throw new Error(`Sign-in of ${user.email} failed: ${response.status} ${JSON.stringify(body)}`);
  return body.accessToken;
}

/** Streams a download, counting bytes and hashing them; returns size, time and the hash. */
function download(url, headers) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    http
      .get(url, { headers }, (response) => {
        const hash = createHash('sha256');
        let bytes = 0;
        response.on('data', (chunk) => {
          bytes += chunk.length;
          hash.update(chunk);
        });
        response.on('end', () =>
          resolve({ status: response.statusCode, bytes, seconds: Number(process.hrtime.bigint() - started) / 1e9, sha256: hash.digest('hex') }),
        );
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

// ---------------------------------------------------------------- scenarios
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

async function measure(name, target, tokens, seconds, tag, ctx) {
  const job = { ...scenarioJob(name, target, tokens, tag), url: target.base, connections: CONNECTIONS, duration: seconds };
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

async function runScenario(name, ctx) {
  const tokens = { viewer: await signIn(ctx.apiBase, USERS.viewer), officer: await signIn(ctx.apiBase, USERS.officer) };
  const targets = [
    { kind: 'api', base: ctx.apiBase },
    { kind: 'reference', base: ctx.referenceBase },
  ];
  log(`${name}: warm-up ${WARMUP} s each`);
  for (const target of targets) await measure(name, target, tokens, WARMUP, `${ctx.runId}-${target.kind}-warm`, ctx);
  const runs = { api: [], reference: [] };
  for (let repeat = 1; repeat <= REPEATS; repeat++) {
    for (const target of targets) {
      const result = await measure(name, target, tokens, DURATION, `${ctx.runId}-${target.kind}-${repeat}`, ctx);
      runs[target.kind].push(result);
      log(
        `${name} #${repeat} ${target.kind.padEnd(9)} ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms` +
          `  non-2xx ${result.non2xx}  errors ${result.errors + result.timeouts}  SQL/req ${result.sqlPerRequest}  peak RSS ${result.peakRssMb} MB` +
          `  CPU µs/req ${result.cpuMicrosPerRequest} (PostgreSQL ${result.postgresCpuMicrosPerRequest})` +
          `  db sessions ${JSON.stringify(result.dbSessions)}`,
      );
    }
  }
  const summary = (list) => ({
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
  });
  const api = summary(runs.api);
  const reference = summary(runs.reference);
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

async function runExport(ctx, token) {
  const targets = [
    { kind: 'api', base: ctx.apiBase, headers: { authorization: `Bearer ${token}` }, pid: ctx.api.pid },
    { kind: 'reference', base: ctx.referenceBase, headers: {}, pid: ctx.reference.pid },
  ];
  const result = {};
  // One export each first, unmeasured: V8 grows its young generation (up to 2 × 16 MB) the first
  // time a process allocates fast, whatever it allocates for; measured from a cold process, that
  // one-off growth (~30 MB) read as memory held for the directory. The baseline is a warmed process.
  for (const target of targets) await download(`${target.base}/api/v1/directory/export?format=csv`, target.headers);
  for (const target of targets) result[target.kind] = { rssBeforeMb: round(memoryOf(target.pid).rssMb, 1), downloads: [] };
  const stopSequential = sampleRss({ api: ctx.api.pid, reference: ctx.reference.pid });
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    for (const target of targets) {
      const one = await download(`${target.base}/api/v1/directory/export?format=csv`, target.headers);
      result[target.kind].downloads.push(one);
    }
  }
  const sequentialPeaks = stopSequential();
  // Four clients at once: memory must still not hold the directory.
  const stop = sampleRss({ api: ctx.api.pid, reference: ctx.reference.pid });
  for (const target of targets) {
    const started = Date.now();
    const parallel = await Promise.all([0, 1, 2, 3].map(() => download(`${target.base}/api/v1/directory/export?format=csv`, target.headers)));
    result[target.kind].parallel4 = {
      seconds: (Date.now() - started) / 1000,
      mbPerSecond: round(parallel.reduce((sum, one) => sum + one.bytes, 0) / 1e6 / ((Date.now() - started) / 1000), 2),
      statuses: parallel.map((one) => one.status),
    };
  }
  const peaks = stop();
  for (const target of targets) {
    const entry = result[target.kind];
    entry.rssAfterMb = round(memoryOf(target.pid).rssMb, 1);
    entry.peakRssSequentialMb = round(sequentialPeaks[target.kind], 1);
    entry.peakRssMb = round(Math.max(peaks[target.kind], sequentialPeaks[target.kind]), 1);
    entry.bytes = entry.downloads[0].bytes;
    entry.mbPerSecond = round(median(entry.downloads.map((one) => one.bytes / 1e6 / one.seconds)), 2);
    entry.seconds = round(median(entry.downloads.map((one) => one.seconds)), 3);
    entry.non2xx = entry.downloads.filter((one) => one.status < 200 || one.status > 299).length;
    entry.sha256 = entry.downloads[0].sha256;
    delete entry.downloads;
  }
  result.sameBytes = result.api.sha256 === result.reference.sha256;
  result.ratio = round(result.api.mbPerSecond / result.reference.mbPerSecond, 3);
  log(
    `export: API ${result.api.mbPerSecond} MB/s (${(result.api.bytes / 1e6).toFixed(2)} MB in ${result.api.seconds} s, RSS ${result.api.rssBeforeMb} → peak ${result.api.peakRssSequentialMb} sequential, ${result.api.peakRssMb} with 4 at once → ${result.api.rssAfterMb} MB)` +
      ` | reference ${result.reference.mbPerSecond} MB/s | same bytes: ${result.sameBytes}`,
  );
  return result;
}

/** Both servers must give the same answers, or the comparison means nothing. */
async function checkSameAnswers(ctx, token) {
  const headers = { authorization: `Bearer ${token}` };
  const paths = [
    ...LIST_STATES.slice(0, 2).map((state) => `/api/v1/contacts?state=${state}&limit=50`),
    ...SEARCH_TERMS.slice(0, 3).map((term) => `/api/v1/contacts?q=${encodeURIComponent(term)}`),
    '/api/v1/disclosures',
    '/api/v1/disclosures?limit=200',
  ];
  const checks = [];
  for (const urlPath of paths) {
    const [api, reference] = await Promise.all([get(`${ctx.apiBase}${urlPath}`, headers), get(`${ctx.referenceBase}${urlPath}`)]);
    const apiBody = JSON.parse(api.body.toString());
    const referenceBody = JSON.parse(reference.body.toString());
    const same = api.status === 200 && reference.status === 200 && JSON.stringify(apiBody) === JSON.stringify(referenceBody);
    checks.push({
      path: urlPath,
      same,
      items: apiBody.items?.length,
      nextCursor: apiBody.nextCursor !== null,
      ...(same ? {} : { apiStatus: api.status, api: api.body.toString().slice(0, 400), reference: reference.body.toString().slice(0, 400) }),
    });
    // The next page through the cursor, for the list.
    if (same && apiBody.nextCursor && urlPath.includes('state=')) {
      const next = `${urlPath}&cursor=${apiBody.nextCursor}`;
      const [api2, reference2] = await Promise.all([get(`${ctx.apiBase}${next}`, headers), get(`${ctx.referenceBase}${next}`)]);
      checks.push({
        path: `${urlPath}&cursor=…`,
        same: api2.status === 200 && api2.body.equals(reference2.body),
        items: JSON.parse(api2.body.toString()).items?.length,
        ...(api2.body.equals(reference2.body) ? {} : { apiStatus: api2.status, api: api2.body.toString().slice(0, 400), reference: reference2.body.toString().slice(0, 400) }),
      });
    }
  }
  for (const check of checks) if (!check.same) log(`DIFFERENT ANSWERS for ${check.path}: API ${check.apiStatus} ${check.api}\n  reference ${check.reference}`);
  log(`Same answers: ${checks.filter((check) => check.same).length}/${checks.length} (${checks.map((c) => `${c.items} items`).join(', ')})`);
  return checks;
}

// ---------------------------------------------------------------- profile
function summariseProfile(file, top = 25) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const functions = new Map();
  const packages = new Map();
  const packageOf = (url) => {
    if (!url) return '(native/vm)';
    if (url.startsWith('node:')) return 'node core';
    const match = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    if (match) return match[1];
    if (url.includes('/dist/libs/database/src/generated')) return 'prisma generated client';
    if (url.includes('/dist/')) return 'app (dist)';
    return url;
  };
  for (const [id, micros] of self) {
    const { callFrame } = byId.get(id);
    const where = callFrame.url ? `${callFrame.url.replace(/^file:\/\//, '').replace(ROOT + '/', '')}:${callFrame.lineNumber + 1}` : '';
    const key = `${callFrame.functionName || '(anonymous)'} ${where}`.trim();
    functions.set(key, (functions.get(key) ?? 0) + micros);
    const pkg = ['(idle)', '(program)', '(garbage collector)'].includes(callFrame.functionName) ? callFrame.functionName : packageOf(callFrame.url);
    packages.set(pkg, (packages.get(pkg) ?? 0) + micros);
  }
  const rank = (map, n) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, micros]) => ({ name, selfMs: round(micros / 1000, 1), percent: round((100 * micros) / total, 1) }));
  return { file: path.relative(ROOT, file), totalMs: round(total / 1000, 0), topFunctions: rank(functions, top), byPackage: rank(packages, 15) };
}

// ---------------------------------------------------------------- output
function pad(text, width, right = false) {
  const value = String(text ?? '—');
  return right ? value.padStart(width) : value.padEnd(width);
}

function printTable(run) {
  const rows = [['scenario', 'API req/s', 'ref req/s', 'ratio', 'target', 'API p50/p99 ms', 'ref p50/p99 ms', 'p99×', 'non-2xx', 'SQL/req', 'CPU µs/req', 'PG µs/req', 'API RSS']];
  for (const [name, s] of Object.entries(run.scenarios)) {
    if (name === 'export') continue;
    rows.push([
      name, s.api.rps, s.reference.rps, `${s.ratio}×`, `≥${TARGETS.ratio[name]}×`, `${s.api.p50}/${s.api.p99}`, `${s.reference.p50}/${s.reference.p99}`,
      `${s.p99Ratio}×`, `${s.api.non2xx}/${s.reference.non2xx}`, `${s.api.sqlPerRequest}/${s.reference.sqlPerRequest}`,
      `${s.api.cpuMicrosPerRequest ?? '–'}/${s.reference.cpuMicrosPerRequest ?? '–'}`,
      `${s.api.postgresCpuMicrosPerRequest ?? '–'}/${s.reference.postgresCpuMicrosPerRequest ?? '–'}`,
      `${s.api.peakRssMb} MB`,
    ]);
  }
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => String(row[column]).length)));
  print();
  print(`CBM Registry benchmark — data set "${run.size}" (${JSON.stringify(run.dataSet)}), ${run.connections} connections, ${run.repeats}×${run.durationSeconds} s interleaved, medians`);
  for (const [index, row] of rows.entries()) {
    print(row.map((cell, column) => pad(cell, widths[column], column > 0)).join('  '));
    if (index === 0) print(widths.map((width) => '-'.repeat(width)).join('  '));
  }
  const e = run.scenarios.export;
  if (e) {
    print(
      `export (CSV, ${(e.api.bytes / 1e6).toFixed(2)} MB): API ${e.api.mbPerSecond} MB/s vs reference ${e.reference.mbPerSecond} MB/s (${e.ratio}×), ` +
        `4 parallel: ${e.api.parallel4.mbPerSecond} vs ${e.reference.parallel4.mbPerSecond} MB/s; API RSS ${e.api.rssBeforeMb} → peak ${e.api.peakRssMb} → ${e.api.rssAfterMb} MB; same bytes: ${e.sameBytes}`,
    );
  }
  print(`API peak RSS (VmHWM) ${run.apiPeakRssMb} MB (target ≤ ${TARGETS.peakRssMb}); reference ${run.referencePeakRssMb} MB`);
  print();
  print('Targets:');
  for (const check of run.targets) print(`  ${check.met ? 'MET ' : 'MISS'} ${check.name}: ${check.detail}`);
  print();
}

function evaluateTargets(run, other) {
  const checks = [];
  for (const [name, s] of Object.entries(run.scenarios)) {
    if (name === 'export') continue;
    checks.push({ name: `${name} throughput ≥ ${TARGETS.ratio[name]}× reference`, met: s.ratio >= TARGETS.ratio[name], detail: `${s.ratio}×` });
    checks.push({ name: `${name} p99 ≤ ${TARGETS.p99Ratio}× reference p99`, met: s.p99Ratio <= TARGETS.p99Ratio, detail: `${s.api.p99} vs ${s.reference.p99} ms = ${s.p99Ratio}×` });
    checks.push({ name: `${name} 0 non-2xx`, met: s.api.non2xx === 0, detail: `${s.api.non2xx} (${JSON.stringify(s.api.statusCodes)})` });
  }
  if (run.scenarios.export) {
    const e = run.scenarios.export;
    checks.push({ name: 'export 0 non-2xx, same bytes as reference', met: e.api.non2xx === 0 && e.sameBytes, detail: `non-2xx ${e.api.non2xx}, same bytes ${e.sameBytes}` });
    const growth = (run_) => round(run_.scenarios.export.api.peakRssMb - run_.scenarios.export.api.rssBeforeMb, 1);
    const otherExport = other?.scenarios?.export;
    const [smallRun, largeRun] = run.size === 'small' ? [run, other] : [other, run];
    const bothSizes = otherExport && smallRun && largeRun;
    checks.push({
      name: 'export streams (API RSS growth during export does not grow with the directory)',
      met: bothSizes ? growth(largeRun) <= growth(smallRun) + 20 : growth(run) < 20,
      detail:
        `${run.size}: peak − before = ${growth(run)} MB for a ${(e.api.bytes / 1e6).toFixed(2)} MB export (4 at once included)` +
        (otherExport ? `; ${other.size}: ${growth(other)} MB for ${(otherExport.api.bytes / 1e6).toFixed(2)} MB` : ''),
    });
  }
  checks.push({ name: `API peak RSS ≤ ${TARGETS.peakRssMb} MB`, met: run.apiPeakRssMb <= TARGETS.peakRssMb, detail: `${run.apiPeakRssMb} MB` });
  const [small, large] = run.size === 'small' ? [run, other] : [other, run];
  if (small && large) {
    for (const name of ['list', 'search']) {
      if (!small.scenarios[name] || !large.scenarios[name]) continue;
      const p50 = round(large.scenarios[name].api.p50 / small.scenarios[name].api.p50, 2);
      const p99 = round(large.scenarios[name].api.p99 / small.scenarios[name].api.p99, 2);
      const referenceP50 = round(large.scenarios[name].reference.p50 / small.scenarios[name].reference.p50, 2);
      const plan = (run_) => run_.queryPlans?.[name]?.executionMs;
      checks.push({
        name: `${name} latency at default ≤ ${TARGETS.scalingRatio}× --small (last run of each: ${small.finishedAt} / ${large.finishedAt})`,
        met: p50 <= TARGETS.scalingRatio,
        detail:
          `API p50 ${large.scenarios[name].api.p50} vs ${small.scenarios[name].api.p50} ms = ${p50}×, p99 ${p99}×; reference p50 ${referenceP50}×; ` +
          `EXPLAIN ANALYZE ${plan(large)} vs ${plan(small)} ms (API latency is mostly queueing while it is CPU-bound: see the plans)`,
      });
    }
  }
  return checks;
}

// ---------------------------------------------------------------- main
async function main() {
  const startedAt = new Date();
  ensureBuilt();
  const database = await prepareBenchDatabase(SIZE, { log, reseed: flag('reseed') });
  const { databaseUrl } = database;
  if (database.reused) await withClient(databaseUrl, vacuumChurnedTables);
  await createBenchUsers(databaseUrl);

  const apiPort = await freePort();
  const referencePort = await freePort();
  const secret = () => randomBytes(36).toString('base64url');
  const apiEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: String(apiPort),
    JWT_SECRET: secret(),
    AUDIT_CHAIN_KEY: 'bench-audit-chain-key-not-for-production-use-0123456789',
    APP_SECRET_KEY: secret(),
    MFA_REQUIRED_ROLES: '',
    NOTIFICATION_WORKER_ENABLED: 'false',
    LOG_LEVEL: 'warn',
    MIGRATE_ON_START: 'false',
    ACCESS_TOKEN_TTL_SECONDS: '3600',
  };
  const profiling = PROFILE !== undefined;
  if (profiling) fs.mkdirSync(PROFILE_DIR, { recursive: true });
  // The API runs as `npm run start:prod` runs it: with the heap flags of package.json.
  const productionFlags = require(path.join(ROOT, 'package.json')).config.apiNodeFlags.split(/\s+/).filter(Boolean);
  const nodeFlags = [...productionFlags, ...(profiling ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [])];
  const probe = ['--require', path.join(__dirname, 'pg-probe.js')];
  const probeFile = (name) => path.join(os.tmpdir(), `cbm-bench-${process.pid}-${name}.probe`);
  apiEnv.BENCH_PG_PROBE_FILE = probeFile('api');
  const api = startProcess('API', [...nodeFlags, ...probe, path.join('dist', 'apps', 'api', 'src', 'main.js')], apiEnv);
  api.probeFile = apiEnv.BENCH_PG_PROBE_FILE;
  const reference = startProcess('reference', [...probe, path.join(__dirname, 'reference-server.js')], {
    BENCH_PG_PROBE_FILE: probeFile('reference'),
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: String(referencePort),
    READER_STATE: BENCH_STATE,
    DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '10',
  });
  reference.probeFile = probeFile('reference');
  const ctx = {
    databaseUrl,
    api,
    reference,
    apiBase: `http://127.0.0.1:${apiPort}`,
    referenceBase: `http://127.0.0.1:${referencePort}`,
    runId: startedAt.getTime().toString(36),
  };
  const stopAll = async () => {
    await stopProcess(api);
    await stopProcess(reference);
    for (const child of [api, reference]) fs.rmSync(child.probeFile, { force: true });
  };
  process.once('SIGINT', () => void stopAll().then(() => database.server.stop()).finally(() => process.exit(130)));

  try {
    await waitReady(ctx.apiBase, api);
    await waitReady(ctx.referenceBase, reference);
    log(`API pid ${api.pid} on ${ctx.apiBase} (RSS ${round(memoryOf(api.pid).rssMb, 1)} MB idle), reference pid ${reference.pid} on ${ctx.referenceBase}`);

    if (profiling) {
      const name = PROFILE;
      const tokens = { viewer: await signIn(ctx.apiBase, USERS.viewer), officer: await signIn(ctx.apiBase, USERS.officer) };
      log(`Profiling the API on "${name}": warm-up ${WARMUP} s, then ${DURATION} s under --cpu-prof`);
      const target = { kind: 'api', base: ctx.apiBase };
      await measure(name, target, tokens, WARMUP, `${ctx.runId}-prof-warm`, ctx);
      const result = await measure(name, target, tokens, DURATION, `${ctx.runId}-prof`, ctx);
      log(`${name}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms under the profiler`);
      const before = new Set(fs.readdirSync(PROFILE_DIR));
      await stopProcess(api);
      const written = fs.readdirSync(PROFILE_DIR).filter((file) => !before.has(file) && file.endsWith('.cpuprofile'));
      if (written.length === 0) throw new Error('The API wrote no .cpuprofile');
      const summary = summariseProfile(path.join(PROFILE_DIR, written[0]));
      print(`\nTop self time, API under "${name}" (${summary.totalMs} ms sampled, includes start-up and warm-up) — ${summary.file}`);
      for (const entry of summary.topFunctions) print(`${String(entry.percent).padStart(5)} %  ${String(entry.selfMs).padStart(8)} ms  ${entry.name}`);
      print('\nBy package:');
      for (const entry of summary.byPackage) print(`${String(entry.percent).padStart(5)} %  ${String(entry.selfMs).padStart(8)} ms  ${entry.name}`);
      writeResults((results) => {
        results.profiles ??= {};
        results.profiles[`${SIZE}:${name}`] = { at: new Date().toISOString(), load: result, ...summary };
      });
      return;
    }

    const viewerToken = await signIn(ctx.apiBase, USERS.viewer);
    const sameAnswers = await checkSameAnswers(ctx, viewerToken);
    const scenarios = {};
    for (const name of SCENARIOS) {
      if (name === 'export') scenarios.export = await runExport(ctx, await signIn(ctx.apiBase, USERS.viewer));
      else scenarios[name] = await runScenario(name, ctx);
    }
    const plans = await explainHotQueries(databaseUrl);
    const run = {
      size: SIZE,
      dataSet: require('./seed').SIZES[SIZE],
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, loadAverage: os.loadavg().map((v) => round(v, 2)), node: process.version },
      connections: CONNECTIONS,
      durationSeconds: DURATION,
      warmupSeconds: WARMUP,
      repeats: REPEATS,
      apiPeakRssMb: round(memoryOf(api.pid).hwmMb, 1),
      referencePeakRssMb: round(memoryOf(reference.pid).hwmMb, 1),
      sameAnswers,
      scenarios,
      queryPlans: plans,
    };
    writeResults((results) => {
      const other = results.runs?.[SIZE === 'small' ? 'default' : 'small'];
      run.targets = evaluateTargets(run, other);
      results.runs ??= {};
      results.runs[SIZE] = run;
      results.targets = TARGETS;
    });
    printTable(run);
    log(`Wrote ${path.relative(ROOT, RESULTS_FILE)}`);
  } finally {
    await stopAll();
    await cleanUp(databaseUrl, startedAt).catch((error) => log(`Clean-up failed: ${error.message}`));
    await database.server.stop();
  }
}

function writeResults(update) {
  let results = {};
  try {
    results = JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8'));
  } catch {
    results = {};
  }
  results.note =
    'Written by npm run bench (bench/run.js). runs.<size> holds the last run of each data set; ratios compare the API with bench/reference-server.js measured in the same run.';
  update(results);
  results.updatedAt = new Date().toISOString();
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
}

main().catch((error) => {
  console.error(`[bench] failed: ${error.stack ?? error}`);
  process.exit(1);
});
