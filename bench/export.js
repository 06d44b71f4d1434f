'use strict';
/**
 * The export scenario: whole CSV downloads rather than autocannon, since what matters is MB/s and
 * that the API's memory does not hold the directory while it streams it (sequentially, then four
 * clients at once).
 */
const { createHash } = require('node:crypto');
const http = require('node:http');
const { memoryOf, sampleRss } = require('./sampling');
const { log, median, round } = require('./util');

const EXPORT_PATH = '/api/v1/directory/export?format=csv';

/** Streams a download, counting bytes and hashing them; returns size, time and the hash. */
function download(url, headers) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    http
      .get(url, { headers }, (response) => {
        const hash = createHash('sha256');
        let bytes = 0;
        response.on('data', (chunk) => {
          bytes += chunk.length;
          hash.update(chunk);
        });
        response.on('end', () =>
          resolve({ status: response.statusCode, bytes, seconds: Number(process.hrtime.bigint() - started) / 1e9, sha256: hash.digest('hex') }),
        );
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

async function downloadInParallel(target) {
  const started = Date.now();
  const parallel = await Promise.all([0, 1, 2, 3].map(() => download(`${target.base}${EXPORT_PATH}`, target.headers)));
  return {
    seconds: (Date.now() - started) / 1000,
    mbPerSecond: round(parallel.reduce((sum, one) => sum + one.bytes, 0) / 1e6 / ((Date.now() - started) / 1000), 2),
    statuses: parallel.map((one) => one.status),
  };
}

/** Turns one server's downloads and memory peaks into its figures (the downloads themselves are dropped). */
function exportFigures(entry, pid, sequentialPeakMb, parallelPeakMb) {
  entry.rssAfterMb = round(memoryOf(pid).rssMb, 1);
  entry.peakRssSequentialMb = round(sequentialPeakMb, 1);
  entry.peakRssMb = round(Math.max(parallelPeakMb, sequentialPeakMb), 1);
  entry.bytes = entry.downloads[0].bytes;
  entry.mbPerSecond = round(median(entry.downloads.map((one) => one.bytes / 1e6 / one.seconds)), 2);
  entry.seconds = round(median(entry.downloads.map((one) => one.seconds)), 3);
  entry.non2xx = entry.downloads.filter((one) => one.status < 200 || one.status > 299).length;
  entry.sha256 = entry.downloads[0].sha256;
  delete entry.downloads;
}

async function runExport(ctx, token) {
  const targets = [
    { kind: 'api', base: ctx.apiBase, headers: { authorization: `Bearer ${token}` }, pid: ctx.api.pid },
    { kind: 'reference', base: ctx.referenceBase, headers: {}, pid: ctx.reference.pid },
  ];
  const result = {};
  // One export each first, unmeasured: V8 grows its young generation (up to 2 × 16 MB) the first
  // time a process allocates fast, whatever it allocates for; measured from a cold process, that
  // one-off growth (~30 MB) read as memory held for the directory. The baseline is a warmed process.
  for (const target of targets) await download(`${target.base}${EXPORT_PATH}`, target.headers);
  for (const target of targets) result[target.kind] = { rssBeforeMb: round(memoryOf(target.pid).rssMb, 1), downloads: [] };
  const stopSequential = sampleRss({ api: ctx.api.pid, reference: ctx.reference.pid });
  for (let repeat = 0; repeat < ctx.options.repeats; repeat++) {
    for (const target of targets) result[target.kind].downloads.push(await download(`${target.base}${EXPORT_PATH}`, target.headers));
  }
  const sequentialPeaks = stopSequential();
  // Four clients at once: memory must still not hold the directory.
  const stop = sampleRss({ api: ctx.api.pid, reference: ctx.reference.pid });
  for (const target of targets) result[target.kind].parallel4 = await downloadInParallel(target);
  const peaks = stop();
  for (const target of targets) exportFigures(result[target.kind], target.pid, sequentialPeaks[target.kind], peaks[target.kind]);
  result.sameBytes = result.api.sha256 === result.reference.sha256;
  result.ratio = round(result.api.mbPerSecond / result.reference.mbPerSecond, 3);
  log(
    `export: API ${result.api.mbPerSecond} MB/s (${(result.api.bytes / 1e6).toFixed(2)} MB in ${result.api.seconds} s, RSS ${result.api.rssBeforeMb} → peak ${result.api.peakRssSequentialMb} sequential, ${result.api.peakRssMb} with 4 at once → ${result.api.rssAfterMb} MB)` +
      ` | reference ${result.reference.mbPerSecond} MB/s | same bytes: ${result.sameBytes}`,
  );
  return result;
}

module.exports = { runExport };
