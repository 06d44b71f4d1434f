'use strict';
/* global setInterval, clearInterval */
/**
 * What the machine says about the processes under load: resident memory and CPU time from /proc,
 * the statements each server sent (bench/pg-probe.js) and what its database sessions are doing
 * (pg_stat_activity). Read around each measured run, never inside the servers.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const { Client } = require('pg');
const { sleep } = require('../scripts/reliability/lib');
const { round } = require('./util');

function memoryOf(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field) => Number((status.match(new RegExp(`${field}:\\s+(\\d+)`)) ?? [])[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    const rss = Number(spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim());
    return { rssMb: rss / 1024, hwmMb: NaN };
  }
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ: the unit of /proc/<pid>/stat's times on Linux

/** CPU seconds (user + system) a process has used, from /proc; NaN where there is none (not Linux). */
function cpuSecondsOf(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/**
 * CPU seconds used so far by each of PostgreSQL's processes on this machine (backends, WAL writer,
 * checkpointer), by pid; null where /proc is missing (not Linux). Only meaningful when the database
 * server is local.
 */
function postgresCpuSeconds() {
  const byPid = new Map();
  try {
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (!fs.readFileSync(`/proc/${entry}/cmdline`, 'latin1').startsWith('postgres')) continue;
      } catch {
        continue;
      }
      const seconds = cpuSecondsOf(entry);
      if (Number.isFinite(seconds)) byPid.set(entry, seconds);
    }
  } catch {
    return null;
  }
  return byPid.size > 0 ? byPid : null;
}

/**
 * What PostgreSQL spent between two snapshots: each process's growth, a process started since then
 * counted from zero. A process that ended in between is left out — its share is lost, never
 * negative (a pool closing an idle backend between runs would otherwise subtract all it ever used).
 */
function postgresCpuSpent(before, after) {
  if (!before || !after) return NaN;
  let spent = 0;
  for (const [pid, seconds] of after) spent += seconds - (before.get(pid) ?? 0);
  return spent;
}

/** Polls the RSS of the given processes until stopped; returns the peaks. */
function sampleRss(pids) {
  const peaks = Object.fromEntries(Object.entries(pids).map(([name]) => [name, 0]));
  const tick = () => {
    for (const [name, pid] of Object.entries(pids)) peaks[name] = Math.max(peaks[name], memoryOf(pid).rssMb || 0);
  };
  tick();
  const timer = setInterval(tick, 100);
  return () => {
    clearInterval(timer);
    tick();
    return peaks;
  };
}

/** Statements sent so far by a process running bench/pg-probe.js (it answers SIGUSR2 by writing them to a file). */
async function statementsSent(child) {
  const previous = fs.existsSync(child.probeFile) ? fs.readFileSync(child.probeFile, 'utf8') : '0 0';
  const wanted = Number(previous.split(' ')[0]) + 1;
  child.kill('SIGUSR2');
  for (let attempt = 0; attempt < 100; attempt++) {
    await sleep(20);
    const [seen, count] = (fs.existsSync(child.probeFile) ? fs.readFileSync(child.probeFile, 'utf8') : '0 0').split(' ').map(Number);
    if (seen >= wanted) return count;
  }
  return NaN;
}

/**
 * Samples what the server's database sessions are doing (pg_stat_activity, every 50 ms) while it is
 * under load: active on CPU, waiting on a lock (which), idle in a transaction, idle. Returns the
 * average number of sessions in each state.
 */
function sampleSessions(databaseUrl, applicationName) {
  const client = new Client({ connectionString: databaseUrl, application_name: 'cbm-bench-sampler' });
  const tally = new Map();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    await client.connect();
    while (running) {
      const { rows } = await client.query(
        `SELECT state, wait_event_type, wait_event FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
        [applicationName],
      );
      samples++;
      for (const row of rows) {
        const key = row.state === 'active' ? (row.wait_event_type ? `waiting ${row.wait_event_type}:${row.wait_event}` : 'active') : row.state;
        tally.set(key, (tally.get(key) ?? 0) + 1);
      }
      await sleep(50);
    }
    await client.end();
  })();
  return async () => {
    running = false;
    await loop.catch(() => undefined);
    return Object.fromEntries(
      [...tally.entries()].sort((a, b) => b[1] - a[1]).map(([key, count]) => [key, round(count / Math.max(1, samples), 2)]),
    );
  };
}

module.exports = { memoryOf, cpuSecondsOf, postgresCpuSeconds, postgresCpuSpent, sampleRss, statementsSent, sampleSessions };
