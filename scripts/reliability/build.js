'use strict';
/**
 * The scripts measure the API as built for production (dist/), so a stale build would measure old
 * code: build when dist/ is missing or older than a source file.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { log } = require('./lifecycle');

const ROOT = path.resolve(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');

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

module.exports = { ROOT, MAIN, ensureBuilt };
