'use strict';
/** Small helpers every part of the bench uses: its output and its arithmetic on figures. */

/** Standard output is the report (console.log is reserved for debugging by the project's lint rules). */
const print = (line = '') => process.stdout.write(`${line}\n`);
const log = (message) => print(`[bench] ${message}`);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
/** null where a run had no figure (no /proc), so that a missing figure never reads as zero. */
const medianOrNull = (values) => (values.every((value) => typeof value === 'number') ? median(values) : null);
const round = (value, digits = 2) => (value === null || value === undefined || Number.isNaN(value) ? null : Number(value.toFixed(digits)));

module.exports = { print, log, median, medianOrNull, round };
