'use strict';
/**
 * Shared helpers of the reliability scripts (chaos, pool exhaustion, two processes, sqlmap): build if
 * needed, an embedded PostgreSQL of their own (data in .data/chaos-<name>, a spare port, never the
 * shared server on 5432), the API as built for production (node dist/apps/api/src/main.js), test data
 * written with pg, sign-in over HTTP, a small HTTP client, results in bench/results/, and clean-up
 * (API and PostgreSQL stopped) on exit, on errors and on Ctrl-C.
 */
const { Buffer } = require('node:buffer');
const { spawn, spawnSync } = require('node:child_process');
const { randomBytes, randomUUID } = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { setTimeout } = require('node:timers');
const { format } = require('node:util');

const ROOT = path.resolve(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
const RESULTS_DIR = path.join(ROOT, 'bench', 'results');
const PASSWORD = 'a long and unusual passphrase 42';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Figures go to stdout (the project's lint allows console.error/warn only). */
const print = (...parts) => process.stdout.write(`${format(...parts)}\n`);
const log = (...parts) => print(`[${new Date().toISOString().slice(11, 23)}]`, ...parts);

// ---------------------------------------------------------------------------------------------
// Clean-up: every started resource registers a stop function; they run in reverse order once.
// ---------------------------------------------------------------------------------------------
const cleanups = [];
let cleaning;
let stopping = false;
/** True once clean-up has begun (Ctrl-C or the end of the run): start nothing new. */
const isStopping = () => stopping;
function onCleanup(fn) {
  cleanups.unshift(fn);
}
function cleanup() {
  stopping = true;
  cleaning ??= (async () => {
    for (const fn of cleanups.splice(0)) {
      try {
        await fn();
      } catch (error) {
        console.error('clean-up step failed:', error && error.message ? error.message : error);
      }
    }
  })();
  return cleaning;
}

/** Runs `fn`, then cleans up and exits with its return code (0 by default); Ctrl-C cleans up too. */
function run(fn) {
  let interrupted = false;
  const onSignal = (signal) => {
    if (interrupted) {
      console.error(`${signal} again: exiting without waiting`);
      process.exit(130);
    }
    interrupted = true;
    console.error(`\n${signal}: stopping the API and PostgreSQL…`);
    cleanup().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  fn().then(
    async (code) => {
      await cleanup();
      process.exit(typeof code === 'number' ? code : 0);
    },
    async (error) => {
      console.error(error && error.stack ? error.stack : error);
      await cleanup();
      process.exit(1);
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Build
// ---------------------------------------------------------------------------------------------
function newestSourceMtime() {
  let newest = 0;
  const walk = (folder) => {
    if (!fs.existsSync(folder)) return;
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === 'generated' || entry.name === 'node_modules') continue;
        walk(full);
      } else if (/\.(ts|txt|prisma|sql)$/.test(entry.name) && !/\.(spec|e2e-spec)\.ts$/.test(entry.name)) {
        newest = Math.max(newest, fs.statSync(full).mtimeMs);
      }
    }
  };
  walk(path.join(ROOT, 'apps'));
  walk(path.join(ROOT, 'libs'));
  walk(path.join(ROOT, 'prisma'));
  return newest;
}

/** `npm run build` when dist/ is missing or older than a source file (or RELIABILITY_BUILD=1). */
function ensureBuilt() {
  const exists = fs.existsSync(MAIN);
  const stale = exists && newestSourceMtime() > fs.statSync(MAIN).mtimeMs;
  if (exists && !stale && process.env.RELIABILITY_BUILD !== '1') return;
  if (process.env.RELIABILITY_BUILD === '0' && exists) {
    log('dist/ is older than the sources; RELIABILITY_BUILD=0: using it as it is');
    return;
  }
  log(exists ? 'Sources changed since the last build: npm run build' : 'No build yet: npm run build');
  const started = performance.now();
  const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    if (fs.existsSync(MAIN)) {
      log('WARNING: the build failed; measuring the previous build in dist/');
      return;
    }
    throw new Error('npm run build failed');
  }
  log(`Built in ${Math.round((performance.now() - started) / 1000)} s`);
}

// ---------------------------------------------------------------------------------------------
// Ports, PostgreSQL
// ---------------------------------------------------------------------------------------------
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * An embedded PostgreSQL of this script alone: cluster in .data/chaos-<name>/ (created once, reused),
 * on a spare port, with a fresh database per run. `stop()` and `start()` restart it on the same port.
 */
async function startDatabase(name) {
  const { startEmbeddedPostgres } = require(path.join(ROOT, 'dist', 'libs', 'database', 'src', 'embedded-postgres.js'));
  const { Client } = require('pg');
  const dir = path.join(ROOT, '.data', `chaos-${name}`);
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const pgLog = fs.createWriteStream(path.join(dir, 'postgres.log'), { flags: 'a' });
  const open = () => startEmbeddedPostgres({ dataDir: dir, port, onLog: (message) => pgLog.write(`${message}\n`) });

  let running = await open();
  let stopped = false;
  const stopNow = async () => {
    if (!running) return;
    const server = running;
    running = undefined;
    // embedded-postgres waits for an 'exit' that already happened if PostgreSQL got the Ctrl-C itself.
    await Promise.race([server.stop(), sleep(15_000)]);
  };
  onCleanup(async () => {
    if (stopped) return;
    stopped = true;
    await stopNow();
    pgLog.end();
  });

  const database = 'cbm_reliability';
  const admin = new Client({ connectionString: running.serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  log(`PostgreSQL on 127.0.0.1:${port} (data in ${path.relative(ROOT, dir)}), database ${database}`);

  return {
    dir,
    port,
    url: running.databaseUrl(database),
    /** Fast shutdown (SIGINT): open connections are cut, as in a restart or a failover. */
    stop: stopNow,
    async start() {
      if (stopping || running) return;
      running = await open();
      // Clean-up may have begun while PostgreSQL was starting.
      if (stopped) await stopNow();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The API, as built for production
// ---------------------------------------------------------------------------------------------
/** Secrets shared by every API process of one run (two processes must verify each other's tokens). */
const runSecrets = {
  JWT_SECRET: randomBytes(36).toString('base64url'),
  AUDIT_CHAIN_KEY: randomBytes(36).toString('base64url'),
  APP_SECRET_KEY: randomBytes(36).toString('base64url'),
};

async function startApi({ name = 'api', databaseUrl, dir, env = {} }) {
  const port = await freePort();
  const logFile = path.join(dir, `${name}.log`);
  fs.writeFileSync(logFile, '');
  const out = fs.openSync(logFile, 'a');
  const childEnv = { ...process.env };
  for (const key of Object.keys(childEnv)) {
    if (/^(DATABASE_|EMBEDDED_POSTGRES_|SMTP_|BOOTSTRAP_ADMIN_)/.test(key)) delete childEnv[key];
  }
  Object.assign(childEnv, {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    ...runSecrets,
    MFA_REQUIRED_ROLES: '',
    LOG_LEVEL: 'warn',
    LOG_PRETTY: 'false',
    PUBLIC_BASE_URL: `http://localhost:${port}`,
    ...env,
  });
  const started = performance.now();
  const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env: childEnv, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const api = {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    logFile,
    child,
    exit: undefined,
    get alive() {
      return api.exit === undefined;
    },
    async stop() {
      if (!api.alive) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const done = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
      if (!done) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
  child.on('exit', (code, signal) => {
    api.exit = { code, signal, at: Date.now() };
  });
  onCleanup(() => api.stop());

  for (;;) {
    if (!api.alive) throw new Error(`${name} exited during start-up (${JSON.stringify(api.exit)}); see ${logFile}:\n${tail(logFile)}`);
    const ready = await request('GET', `${api.url}/health/ready`, { timeout: 2000 });
    if (ready.status === 200) break;
    if (performance.now() - started > 120_000) throw new Error(`${name} not ready after 120 s; see ${logFile}`);
    await sleep(250);
  }
  log(`${name} ready on ${api.url} in ${Math.round(performance.now() - started)} ms (pid ${child.pid}, log ${path.relative(ROOT, logFile)})`);
  return api;
}

function tail(file, lines = 20) {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Lines of an API log that record a real fault (a 500): the problem filter's 'Unhandled error'. */
function unhandledErrors(logFile) {
  const found = [];
  for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.includes('Unhandled error')) continue;
    try {
      const entry = JSON.parse(line);
      found.push({ time: entry.time, error: entry.err ? `${entry.err.type}: ${entry.err.message}`.slice(0, 300) : entry.msg });
    } catch {
      found.push({ error: line.slice(0, 300) });
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------
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

async function signIn(api, email, password = PASSWORD, localAddress) {
  const response = await request('POST', `${api.url}/api/v1/auth/login`, { body: { email, password }, localAddress });
  if (response.status !== 200 || !response.body.accessToken) {
    throw new Error(`sign-in of ${email} on ${api.name}: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return { Authorization: `Bearer ${response.body.accessToken}` };
}

// ---------------------------------------------------------------------------------------------
// Test data, written directly (as test/support/factories.ts does through Prisma)
// ---------------------------------------------------------------------------------------------
async function withClient(databaseUrl, fn) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function participate(databaseUrl, codes) {
  await withClient(databaseUrl, (client) => client.query('UPDATE state SET participating = true, "updatedAt" = now() WHERE code = ANY($1)', [codes]));
}

let passwordHash;
async function createUser(databaseUrl, role, stateCode, { password = PASSWORD, label = '' } = {}) {
  const { hashPassword } = require(path.join(ROOT, 'dist', 'apps', 'api', 'src', 'auth', 'password-hasher.js'));
  const hash = password === PASSWORD ? (passwordHash ??= await hashPassword(PASSWORD)) : await hashPassword(password);
  const id = randomUUID();
  const email = `${role.toLowerCase()}${label ? `.${label}` : ''}.${id.slice(0, 8)}@${(stateCode ?? 'un').toLowerCase()}.example`;
  await withClient(databaseUrl, (client) =>
    client.query(
      'INSERT INTO "user" (id, email, "displayName", role, "stateCode", "passwordHash", "updatedAt") VALUES ($1, $2, $3, $4, $5, $6, now())',
      [id, email, `${role} ${label}`.trim(), role, stateCode, hash],
    ),
  );
  return { id, email, password, role, stateCode };
}

async function createContact(databaseUrl, stateCode, { kind = 'TECHNICAL', email, name } = {}) {
  const id = randomUUID();
  const suffix = id.slice(0, 8);
  await withClient(databaseUrl, (client) =>
    client.query(
      `INSERT INTO contact (id, "stateCode", kind, name, emails, phones, "timeZone", languages, status, "lastVerifiedAt", "updatedAt")
       VALUES ($1, $2, $3, $4, $5, '[]'::jsonb, 'UTC', '{en}', 'ACTIVE', now(), now())`,
      [id, stateCode, kind, name ?? `Contact ${suffix}`, [email ?? `contact.${suffix}@${stateCode.toLowerCase()}.example`]],
    ),
  );
  return { id };
}

// ---------------------------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------------------------
function writeResult(name, data) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ measuredAt: new Date().toISOString(), ...data }, null, 2)}\n`);
  log(`Figures written to ${path.relative(ROOT, file)}`);
}

function printTable(title, rows) {
  const width = Math.max(...rows.map(([key]) => String(key).length));
  const valueWidth = Math.max(...rows.map(([, value]) => String(value).length));
  const line = `+${'-'.repeat(width + 2)}+${'-'.repeat(valueWidth + 2)}+`;
  print(`\n${title}\n${line}`);
  for (const [key, value] of rows) print(`| ${String(key).padEnd(width)} | ${String(value).padEnd(valueWidth)} |`);
  print(line);
}

function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function countBy(values) {
  const counts = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

module.exports = {
  ROOT,
  PASSWORD,
  sleep,
  log,
  run,
  isStopping,
  onCleanup,
  ensureBuilt,
  freePort,
  startDatabase,
  startApi,
  unhandledErrors,
  request,
  signIn,
  withClient,
  participate,
  createUser,
  createContact,
  writeResult,
  printTable,
  percentile,
  countBy,
  tail,
};
