'use strict';
/**
 * The API as built for production (node dist/apps/api/src/main.js, NODE_ENV=production), since the
 * scripts judge how the deployed process behaves, with its log in a file the figures can be read from.
 */
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { MAIN, ROOT } = require('./build');
const { request } = require('./http');
const { freePort, log, onCleanup, sleep } = require('./lifecycle');

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
  // The developer's own database, mail server or first administrator must not leak into the test.
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

module.exports = { startApi, tail, unhandledErrors };
