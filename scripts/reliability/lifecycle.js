'use strict';
/**
 * The run of a reliability script: progress lines, spare ports for the processes it starts, and
 * clean-up (API and PostgreSQL stopped) on exit, on errors and on Ctrl-C, so that no test process
 * outlives the script and holds its port or its data directory.
 */
const net = require('node:net');
const { setTimeout } = require('node:timers');
const { format } = require('node:util');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Figures go to stdout (the project's lint allows console.error/warn only). */
const print = (...parts) => process.stdout.write(`${format(...parts)}\n`);
const log = (...parts) => print(`[${new Date().toISOString().slice(11, 23)}]`, ...parts);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Stop functions run in reverse order of registration (the API before the database it uses), once.
const cleanups = [];
let cleaning;
let stopping = false;
/** True once clean-up has begun (Ctrl-C or the end of the run): start nothing new. */
const isStopping = () => stopping;
function onCleanup(fn) {
  cleanups.unshift(fn);
}
function cleanup() {
  stopping = true;
  cleaning ??= (async () => {
    for (const fn of cleanups.splice(0)) {
      try {
        await fn();
      } catch (error) {
        console.error('clean-up step failed:', error && error.message ? error.message : error);
      }
    }
  })();
  return cleaning;
}

/** Runs `fn`, then cleans up and exits with its return code (0 by default); Ctrl-C cleans up too. */
function run(fn) {
  let interrupted = false;
  const onSignal = (signal) => {
    if (interrupted) {
      console.error(`${signal} again: exiting without waiting`);
      process.exit(130);
    }
    interrupted = true;
    console.error(`\n${signal}: stopping the API and PostgreSQL…`);
    cleanup().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  fn().then(
    async (code) => {
      await cleanup();
      process.exit(typeof code === 'number' ? code : 0);
    },
    async (error) => {
      console.error(error && error.stack ? error.stack : error);
      await cleanup();
      process.exit(1);
    },
  );
}

module.exports = { sleep, print, log, freePort, isStopping, onCleanup, run };
