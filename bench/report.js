'use strict';
/**
 * The report: the targets of issue 8 checked against a run (and against the other data set's last
 * run, for the checks that compare sizes), bench/results/latest.json, and the printed table.
 */
const fs = require('node:fs');
const path = require('node:path');
const { print, round } = require('./util');

const RESULTS_FILE = path.join(__dirname, 'results', 'latest.json');

const TARGETS = {
  ratio: { list: 1.0, search: 0.8, 'create-request': 0.4, disclosures: 0.8, 'list-cold': 0.8 },
  /** Reads under a stream of writes (list@Nw, disclosures@Nw): up to this many writes a second… */
  churnModerateRate: 10,
  /** …at least this ratio, and above it the heavy one. */
  churnRatio: { moderate: 1.0, heavy: 0.8 },
  /** The writes beside the reads: at the asked rate (this share of it, for the seconds' edges), within this p99. */
  writeAchievedShare: 0.95,
  writeP99Ms: 250,
  p99Ratio: 1.5,
  peakRssMb: 250,
  scalingRatio: 1.2,
};

/** The throughput target of a scenario (a churn scenario's depends on its write rate). */
function ratioTarget(name, s) {
  if (s.api.writes) return s.api.writes.askedRate <= TARGETS.churnModerateRate ? TARGETS.churnRatio.moderate : TARGETS.churnRatio.heavy;
  return TARGETS.ratio[name];
}

function writeChecks(name, s) {
  const writes = s.api.writes;
  if (!writes) return [];
  return [
    {
      name: `${name} writes at the asked rate (≥ ${TARGETS.writeAchievedShare * 100}%), p99 ≤ ${TARGETS.writeP99Ms} ms, 0 non-2xx`,
      met: writes.achievedRate >= writes.askedRate * TARGETS.writeAchievedShare && writes.p99 <= TARGETS.writeP99Ms && writes.non2xx === 0,
      detail: `${writes.achievedRate}/${writes.askedRate} per s, p99 ${writes.p99} ms (reference ${s.reference.writes.p99} ms), non-2xx ${writes.non2xx}`,
    },
  ];
}

/** The load scenarios' checks (export is measured in MB/s, not req/s: see exportChecks). */
function scenarioChecks(run) {
  const checks = [];
  for (const [name, s] of Object.entries(run.scenarios)) {
    if (name === 'export') continue;
    const target = ratioTarget(name, s);
    checks.push({ name: `${name} throughput ≥ ${target}× reference`, met: s.ratio >= target, detail: `${s.ratio}×` });
    checks.push({ name: `${name} p99 ≤ ${TARGETS.p99Ratio}× reference p99`, met: s.p99Ratio <= TARGETS.p99Ratio, detail: `${s.api.p99} vs ${s.reference.p99} ms = ${s.p99Ratio}×` });
    checks.push({ name: `${name} 0 non-2xx`, met: s.api.non2xx === 0, detail: `${s.api.non2xx} (${JSON.stringify(s.api.statusCodes)})` });
    checks.push(...writeChecks(name, s));
  }
  return checks;
}

function exportChecks(run, other) {
  const e = run.scenarios.export;
  if (!e) return [];
  const growth = (run_) => round(run_.scenarios.export.api.peakRssMb - run_.scenarios.export.api.rssBeforeMb, 1);
  const otherExport = other?.scenarios?.export;
  const [smallRun, largeRun] = run.size === 'small' ? [run, other] : [other, run];
  const bothSizes = otherExport && smallRun && largeRun;
  return [
    { name: 'export 0 non-2xx, same bytes as reference', met: e.api.non2xx === 0 && e.sameBytes, detail: `non-2xx ${e.api.non2xx}, same bytes ${e.sameBytes}` },
    {
      name: 'export streams (API RSS growth during export does not grow with the directory)',
      // With one size only, a fixed allowance; with both, the larger directory may not cost more.
      met: bothSizes ? growth(largeRun) <= growth(smallRun) + 20 : growth(run) < 20,
      detail:
        `${run.size}: peak − before = ${growth(run)} MB for a ${(e.api.bytes / 1e6).toFixed(2)} MB export (4 at once included)` +
        (otherExport ? `; ${other.size}: ${growth(other)} MB for ${(otherExport.api.bytes / 1e6).toFixed(2)} MB` : ''),
    },
  ];
}

/** Default-size latency against --small's, from the last run of each (either may be the current one). */
function scalingChecks(run, other) {
  const [small, large] = run.size === 'small' ? [run, other] : [other, run];
  if (!small || !large) return [];
  const checks = [];
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
  return checks;
}

function evaluateTargets(run, other) {
  return [
    ...scenarioChecks(run),
    ...exportChecks(run, other),
    { name: `API peak RSS ≤ ${TARGETS.peakRssMb} MB`, met: run.apiPeakRssMb <= TARGETS.peakRssMb, detail: `${run.apiPeakRssMb} MB` },
    ...scalingChecks(run, other),
  ];
}

/** Reads latest.json, lets `update` change it, writes it back: each run keeps what the others wrote. */
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

/** Checks the targets against the other data set's last run and stores this run as its size's last. */
function saveRun(run) {
  writeResults((results) => {
    const other = results.runs?.[run.size === 'small' ? 'default' : 'small'];
    run.targets = evaluateTargets(run, other);
    results.runs ??= {};
    results.runs[run.size] = run;
    results.targets = TARGETS;
  });
}

function pad(text, width, right = false) {
  const value = String(text ?? '—');
  return right ? value.padStart(width) : value.padEnd(width);
}

function scenarioRows(run) {
  const rows = [['scenario', 'API req/s', 'ref req/s', 'ratio', 'target', 'API p50/p99 ms', 'ref p50/p99 ms', 'p99×', 'non-2xx', 'SQL/req', 'CPU µs/req', 'PG µs/req', 'API RSS', 'writes/s API/ref', 'write p99 API/ref']];
  for (const [name, s] of Object.entries(run.scenarios)) {
    if (name === 'export') continue;
    rows.push([
      name, s.api.rps, s.reference.rps, `${s.ratio}×`, `≥${ratioTarget(name, s)}×`, `${s.api.p50}/${s.api.p99}`, `${s.reference.p50}/${s.reference.p99}`,
      `${s.p99Ratio}×`, `${s.api.non2xx}/${s.reference.non2xx}`, `${s.api.sqlPerRequest}/${s.reference.sqlPerRequest}`,
      `${s.api.cpuMicrosPerRequest ?? '–'}/${s.reference.cpuMicrosPerRequest ?? '–'}`,
      `${s.api.postgresCpuMicrosPerRequest ?? '–'}/${s.reference.postgresCpuMicrosPerRequest ?? '–'}`,
      `${s.api.peakRssMb} MB`,
      s.api.writes ? `${s.api.writes.achievedRate}/${s.reference.writes.achievedRate} of ${s.api.writes.askedRate}` : '',
      s.api.writes ? `${s.api.writes.p99}/${s.reference.writes.p99}` : '',
    ]);
  }
  return rows;
}

function printTable(run) {
  const rows = scenarioRows(run);
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

module.exports = { RESULTS_FILE, writeResults, saveRun, printTable };
