'use strict';
/**
 * `npm start`'s build step: runs `prisma generate` and `nest build` only when their inputs changed
 * since they last succeeded, so a restart with nothing changed is ready in seconds.
 *
 * Each step leaves a stamp, a SHA-256 of its inputs' contents taken before it ran, and is skipped
 * while the inputs hash the same. Contents rather than modification times: a checkout or `touch`
 * that changes nothing rebuilds nothing, and a change made during a build is seen at the next start.
 * `--force` runs both steps (what `npm run build` does).
 */
const { createHash } = require('node:crypto');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const GENERATED_DIR = path.join(ROOT, 'libs', 'database', 'src', 'generated');
const PRISMA_STAMP = path.join(GENERATED_DIR, '.schema-hash');
const DIST_STAMP = path.join(ROOT, 'dist', '.sources-hash');
const MAIN = path.join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');

/** What `nest build` compiles or copies, and what decides how (the generated client included). */
const BUILD_INPUTS = ['apps', 'libs', 'nest-cli.json', 'package-lock.json', /^tsconfig.*\.json$/];
/** What `prisma generate` reads: the schema, its config, and the generator's own version. */
const PRISMA_INPUTS = ['prisma/schema.prisma', 'prisma.config.ts', 'node_modules/prisma/package.json'];

function main(argv) {
  const force = argv.includes('--force');
  const quiet = argv.includes('--quiet');
  const say = (message) => quiet || console.error(`build-if-changed: ${message}`);
  // Two at once (browser specs in parallel Jest workers) would both empty dist/ mid-build: the
  // second waits, then finds the stamps current.
  const release = lock(say);
  try {
    buildWhatChanged(force, say);
  } finally {
    release();
  }
}

function buildWhatChanged(force, say) {
  const schemaHash = hashFiles(PRISMA_INPUTS.map((file) => path.join(ROOT, file)));
  if (force || readStamp(PRISMA_STAMP) !== schemaHash || !fs.existsSync(path.join(GENERATED_DIR, 'prisma'))) {
    say('generating the Prisma client');
    run('prisma', ['generate']);
    writeStamp(PRISMA_STAMP, schemaHash);
  } else {
    say('Prisma client up to date');
  }

  const sourcesHash = hashFiles(listBuildInputs());
  if (force || readStamp(DIST_STAMP) !== sourcesHash || !fs.existsSync(MAIN)) {
    say('building (nest build)');
    run('nest', ['build']);
    writeStamp(DIST_STAMP, sourcesHash);
  } else {
    say('dist/ up to date');
  }
}

/** An exclusive lock file beside the sources; one left by a process that died is taken over. */
function lock(say) {
  const file = path.join(ROOT, '.build-if-changed.lock');
  const deadline = Date.now() + 10 * 60_000;
  let told = false;
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    const holder = Number(readStamp(file));
    if (holder && !isAlive(holder)) {
      fs.rmSync(file, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`build-if-changed: ${file} held by process ${holder} for 10 minutes`);
    if (!told) say(`waiting for the build of process ${holder}`);
    told = true;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function listBuildInputs() {
  const files = [];
  for (const entry of fs.readdirSync(ROOT, { withFileTypes: true })) {
    const wanted = BUILD_INPUTS.some((input) => (typeof input === 'string' ? input === entry.name : input.test(entry.name)));
    if (!wanted) continue;
    const full = path.join(ROOT, entry.name);
    if (entry.isDirectory()) walk(full, files);
    else if (entry.isFile()) files.push(full);
  }
  // The stamp of the Prisma step says nothing about the sources: its own hash covers what matters.
  return files.filter((file) => file !== PRISMA_STAMP);
}

function walk(directory, files) {
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) walk(full, files);
    else if (entry.isFile()) files.push(full);
  }
}

/** One hash over the files' paths and contents, in a stable order; a missing file counts as such. */
function hashFiles(files) {
  const hash = createHash('sha256');
  for (const file of [...files].sort()) {
    hash.update(path.relative(ROOT, file)).update('\0');
    hash.update(fs.existsSync(file) ? fs.readFileSync(file) : 'missing').update('\0');
  }
  return hash.digest('hex');
}

function readStamp(file) {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function writeStamp(file, hash) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${hash}\n`);
}

/** Runs a tool from node_modules/.bin; a failure stops the start with the tool's own output. */
function run(tool, args) {
  const bin = path.join(ROOT, 'node_modules', '.bin', tool);
  try {
    execFileSync(bin, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (error) {
    console.error(`build-if-changed: ${tool} ${args.join(' ')} failed`);
    process.exit(typeof error.status === 'number' && error.status !== 0 ? error.status : 1);
  }
}

main(process.argv.slice(2));
