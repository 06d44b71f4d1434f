'use strict';
/**
 * --profile=<scenario>: the API under one scenario with V8's --cpu-prof, summarised as top self
 * time by function and by package. The profile is written when the API exits, so this stops it.
 */
const fs = require('node:fs');
const path = require('node:path');
const { stopProcess } = require('./processes');
const { writeResults } = require('./report');
const { measure, prepareWrites } = require('./scenarios');
const { ROOT } = require('./seed');
const { signInBoth } = require('./users');
const { log, print, round } = require('./util');

const PROFILE_DIR = path.join(__dirname, '.profiles');
const NOT_CODE = ['(idle)', '(program)', '(garbage collector)'];

function packageOf(url) {
  if (!url) return '(native/vm)';
  if (url.startsWith('node:')) return 'node core';
  const match = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (match) return match[1];
  if (url.includes('/dist/libs/database/src/generated')) return 'prisma generated client';
  if (url.includes('/dist/')) return 'app (dist)';
  return url;
}

function selfTimeByNode(profile) {
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  return self;
}

function summariseProfile(file, top = 25) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = selfTimeByNode(profile);
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const functions = new Map();
  const packages = new Map();
  for (const [id, micros] of self) {
    const { callFrame } = byId.get(id);
    const where = callFrame.url ? `${callFrame.url.replace(/^file:\/\//, '').replace(ROOT + '/', '')}:${callFrame.lineNumber + 1}` : '';
    const key = `${callFrame.functionName || '(anonymous)'} ${where}`.trim();
    functions.set(key, (functions.get(key) ?? 0) + micros);
    const pkg = NOT_CODE.includes(callFrame.functionName) ? callFrame.functionName : packageOf(callFrame.url);
    packages.set(pkg, (packages.get(pkg) ?? 0) + micros);
  }
  const rank = (map, n) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, micros]) => ({ name, selfMs: round(micros / 1000, 1), percent: round((100 * micros) / total, 1) }));
  return { file: path.relative(ROOT, file), totalMs: round(total / 1000, 0), topFunctions: rank(functions, top), byPackage: rank(packages, 15) };
}

function printProfile(name, summary) {
  print(`\nTop self time, API under "${name}" (${summary.totalMs} ms sampled, includes start-up and warm-up) — ${summary.file}`);
  for (const entry of summary.topFunctions) print(`${String(entry.percent).padStart(5)} %  ${String(entry.selfMs).padStart(8)} ms  ${entry.name}`);
  print('\nBy package:');
  for (const entry of summary.byPackage) print(`${String(entry.percent).padStart(5)} %  ${String(entry.selfMs).padStart(8)} ms  ${entry.name}`);
}

/** Profiles the API (started with PROFILE_DIR) under scenario `name`; stores the summary in latest.json's `profiles`. */
async function profileScenario(ctx, name) {
  const { warmup, duration, size } = ctx.options;
  const tokens = await signInBoth(ctx.apiBase);
  await prepareWrites(name, ctx, ctx.apiBase);
  log(`Profiling the API on "${name}": warm-up ${warmup} s, then ${duration} s under --cpu-prof`);
  const target = { kind: 'api', base: ctx.apiBase };
  await measure(name, target, tokens, warmup, `${ctx.runId}-prof-warm`, ctx);
  const result = await measure(name, target, tokens, duration, `${ctx.runId}-prof`, ctx);
  log(`${name}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms under the profiler`);
  const before = new Set(fs.readdirSync(PROFILE_DIR));
  await stopProcess(ctx.api);
  const written = fs.readdirSync(PROFILE_DIR).filter((file) => !before.has(file) && file.endsWith('.cpuprofile'));
  if (written.length === 0) throw new Error('The API wrote no .cpuprofile');
  const summary = summariseProfile(path.join(PROFILE_DIR, written[0]));
  printProfile(name, summary);
  writeResults((results) => {
    results.profiles ??= {};
    results.profiles[`${size}:${name}`] = { at: new Date().toISOString(), load: result, ...summary };
  });
}

module.exports = { PROFILE_DIR, profileScenario };
