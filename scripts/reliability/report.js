'use strict';
/**
 * What a run prints and keeps: a table on stdout for the reader, and bench/results/<name>.json so
 * that runs can be compared later.
 */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT } = require('./build');
const { log, print } = require('./lifecycle');

const RESULTS_DIR = path.join(ROOT, 'bench', 'results');

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

module.exports = { writeResult, printTable, percentile, countBy };
