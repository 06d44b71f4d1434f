'use strict';
/* global fetch, setTimeout, clearTimeout */
/**
 * The processes the bench runs: the build when dist/ is stale, then the API (as built for
 * production) and bench/reference-server.js side by side on the bench database, each with
 * bench/pg-probe.js preloaded so its statements can be counted.
 */
const { spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { freePort, sleep } = require('../scripts/reliability/lib');
const { BENCH_STATE, ROOT } = require('./seed');
const { memoryOf } = require('./sampling');
const { log, round } = require('./util');

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

function ensureBuilt(noBuild) {
  const main = path.join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
  const sources = (name) => name.endsWith('.ts') && !name.endsWith('.spec.ts');
  const newestSource = Math.max(
    newestMtime(path.join(ROOT, 'apps'), sources),
    newestMtime(path.join(ROOT, 'libs'), sources),
    fs.statSync(path.join(ROOT, 'prisma', 'schema.prisma')).mtimeMs,
  );
  const built = fs.existsSync(main) ? fs.statSync(main).mtimeMs : 0;
  if (built >= newestSource) return log('dist/ is up to date');
  if (noBuild) return log('dist/ is older than the sources, but --no-build: using it as it is');
  log('dist/ is missing or older than the sources: npm run build');
  const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run build failed');
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

function apiEnvironment(databaseUrl, port) {
  const secret = () => randomBytes(36).toString('base64url');
  return {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: String(port),
    JWT_SECRET: secret(),
    AUDIT_CHAIN_KEY: 'bench-audit-chain-key-not-for-production-use-0123456789',
    APP_SECRET_KEY: secret(),
    MFA_REQUIRED_ROLES: '',
    NOTIFICATION_WORKER_ENABLED: 'false',
    LOG_LEVEL: 'warn',
    MIGRATE_ON_START: 'false',
    ACCESS_TOKEN_TTL_SECONDS: '3600',
  };
}

const probeFile = (name) => path.join(os.tmpdir(), `cbm-bench-${process.pid}-${name}.probe`);

/**
 * Starts the API on a spare port (not yet ready: see waitReady), as `npm run start:prod` runs it:
 * with the heap flags of package.json. `profileDir`: it writes a CPU profile there when it stops;
 * `settings`: environment settings of this process only (list-cold turns the read cache off).
 */
async function startApi(databaseUrl, { name = 'api', profileDir, settings = {} } = {}) {
  const port = await freePort();
  const env = { ...apiEnvironment(databaseUrl, port), ...settings, BENCH_PG_PROBE_FILE: probeFile(name) };
  const productionFlags = require(path.join(ROOT, 'package.json')).config.apiNodeFlags.split(/\s+/).filter(Boolean);
  const nodeFlags = [...productionFlags, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
  const probe = ['--require', path.join(__dirname, 'pg-probe.js')];
  const api = startProcess(name === 'api' ? 'API' : `API (${name})`, [...nodeFlags, ...probe, path.join('dist', 'apps', 'api', 'src', 'main.js')], env);
  api.probeFile = env.BENCH_PG_PROBE_FILE;
  api.base = `http://127.0.0.1:${port}`;
  api.stop = async () => {
    await stopProcess(api);
    fs.rmSync(api.probeFile, { force: true });
  };
  return api;
}

/**
 * Starts the API and the reference server on spare ports (not yet ready: see waitForServers).
 * `profileDir` set: the API writes a CPU profile there when it stops.
 */
async function startServers(databaseUrl, profileDir) {
  const api = await startApi(databaseUrl, { profileDir });
  const referencePort = await freePort();
  const reference = startProcess('reference', ['--require', path.join(__dirname, 'pg-probe.js'), path.join(__dirname, 'reference-server.js')], {
    BENCH_PG_PROBE_FILE: probeFile('reference'),
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: String(referencePort),
    READER_STATE: BENCH_STATE,
    DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '10',
  });
  reference.probeFile = probeFile('reference');
  const stopAll = async () => {
    await api.stop();
    await stopProcess(reference);
    fs.rmSync(reference.probeFile, { force: true });
  };
  return { api, reference, apiBase: api.base, referenceBase: `http://127.0.0.1:${referencePort}`, stopAll };
}

async function waitForServers({ api, reference, apiBase, referenceBase }) {
  await waitReady(apiBase, api);
  await waitReady(referenceBase, reference);
  log(`API pid ${api.pid} on ${apiBase} (RSS ${round(memoryOf(api.pid).rssMb, 1)} MB idle), reference pid ${reference.pid} on ${referenceBase}`);
}

module.exports = { ensureBuilt, startApi, startServers, waitForServers, waitReady, stopProcess };
