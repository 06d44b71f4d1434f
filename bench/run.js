'use strict';
/**
 * npm run bench [-- --small] [--duration=10] [--warmup=5] [--repeats=3] [--connections=50]
 *               [--scenarios=list,search,create-request,disclosures,export,churn,list-cold]
 *               [--write-rates=2,10,50] [--profile=<scenario>] [--no-build] [--reseed]
 *
 * Seeds a dedicated database, starts the API as built for production and the reference server
 * (bench/reference-server.js) side by side on the same database, checks that both give the same
 * answers, then drives each scenario with autocannon (a child process) — warm-up, then API and
 * reference interleaved, `repeats` times — and reports req/s, p50/p99, non-2xx and the ratio to the
 * reference measured in the same run, with the API's peak RSS. Writes bench/results/latest.json
 * (keeping the other data set's last results) and prints a table. See bench/README.md.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { withClient } = require('../scripts/reliability/lib');
const { checkSameAnswers } = require('./answers');
const { cleanUp, explainHotQueries, vacuumChurnedTables } = require('./database');
const { runExport } = require('./export');
const { ensureBuilt, startApi, startServers, waitForServers, waitReady } = require('./processes');
const { PROFILE_DIR, profileScenario } = require('./profile');
const { RESULTS_FILE, printTable, saveRun } = require('./report');
const { runScenario } = require('./scenarios');
const { prepareBenchDatabase, ROOT, SIZES } = require('./seed');
const { memoryOf } = require('./sampling');
const { USERS, createBenchUsers, signIn } = require('./users');
const { log, round } = require('./util');

// Export first: its memory is measured before the other scenarios' load has grown the heap (after one warm-up export).
// `churn` stands for list@Nw and disclosures@Nw at every --write-rates rate (see scenarios.js).
const ALL_SCENARIOS = ['export', 'list', 'search', 'create-request', 'disclosures', 'churn', 'list-cold'];

function expandChurn(scenarios, writeRates) {
  const rates = writeRates.split(',').filter(Boolean).map(Number);
  return scenarios.flatMap((name) => (name === 'churn' ? rates.flatMap((rate) => [`list@${rate}w`, `disclosures@${rate}w`]) : [name]));
}

/** list-cold measures another API process, started with its read cache off, beside the same reference. */
async function runColdList(ctx) {
  const cold = await startApi(ctx.databaseUrl, { name: 'cold', settings: { READ_CACHE_MB: '0' } });
  try {
    await waitReady(cold.base, cold);
    return await runScenario('list-cold', ctx, { base: cold.base, server: cold });
  } finally {
    await cold.stop();
  }
}

function parseOptions(argv) {
  const flag = (name) => argv.includes(`--${name}`);
  const option = (name, fallback) => {
    const found = argv.find((arg) => arg.startsWith(`--${name}=`));
    return found ? found.slice(name.length + 3) : fallback;
  };
  return {
    argv,
    size: flag('small') ? 'small' : 'default',
    duration: Number(option('duration', 10)),
    warmup: Number(option('warmup', 5)),
    repeats: Number(option('repeats', 3)),
    connections: Number(option('connections', 50)),
    scenarios: expandChurn(option('scenarios', ALL_SCENARIOS.join(',')).split(',').filter(Boolean), option('write-rates', '2,10,50')),
    profile: option('profile', undefined),
    reseed: flag('reseed'),
    noBuild: flag('no-build'),
  };
}

/** The same-answers check and every scenario, in the order asked, then the hot queries' plans: the run's record. */
async function measureRun(ctx, startedAt) {
  const { options } = ctx;
  const viewerToken = await signIn(ctx.apiBase, USERS.viewer);
  const sameAnswers = await checkSameAnswers(ctx, viewerToken);
  const scenarios = {};
  for (const name of options.scenarios) {
    if (name === 'export') scenarios.export = await runExport(ctx, await signIn(ctx.apiBase, USERS.viewer));
    else if (name === 'list-cold') scenarios[name] = await runColdList(ctx);
    else scenarios[name] = await runScenario(name, ctx);
  }
  const plans = await explainHotQueries(ctx.databaseUrl);
  return {
    size: options.size,
    dataSet: SIZES[options.size],
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    command: `npm run bench${options.argv.length ? ` -- ${options.argv.join(' ')}` : ''}`,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, loadAverage: os.loadavg().map((v) => round(v, 2)), node: process.version },
    connections: options.connections,
    durationSeconds: options.duration,
    warmupSeconds: options.warmup,
    repeats: options.repeats,
    apiPeakRssMb: round(memoryOf(ctx.api.pid).hwmMb, 1),
    referencePeakRssMb: round(memoryOf(ctx.reference.pid).hwmMb, 1),
    sameAnswers,
    scenarios,
    queryPlans: plans,
  };
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date();
  ensureBuilt(options.noBuild);
  const database = await prepareBenchDatabase(options.size, { log, reseed: options.reseed });
  const { databaseUrl } = database;
  if (database.reused) await withClient(databaseUrl, vacuumChurnedTables);
  await createBenchUsers(databaseUrl);

  const profiling = options.profile !== undefined;
  if (profiling) fs.mkdirSync(PROFILE_DIR, { recursive: true });
  const servers = await startServers(databaseUrl, profiling ? PROFILE_DIR : undefined);
  const ctx = { ...servers, databaseUrl, options, runId: startedAt.getTime().toString(36) };
  process.once('SIGINT', () => void servers.stopAll().then(() => database.server.stop()).finally(() => process.exit(130)));

  try {
    await waitForServers(servers);
    if (profiling) return await profileScenario(ctx, options.profile);
    const run = await measureRun(ctx, startedAt);
    saveRun(run);
    printTable(run);
    log(`Wrote ${path.relative(ROOT, RESULTS_FILE)}`);
  } finally {
    await servers.stopAll();
    await cleanUp(databaseUrl, startedAt).catch((error) => log(`Clean-up failed: ${error.message}`));
    await database.server.stop();
  }
}

main().catch((error) => {
  console.error(`[bench] failed: ${error.stack ?? error}`);
  process.exit(1);
});
