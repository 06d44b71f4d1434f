'use strict';
/**
 * Everything the reliability scripts (chaos, pool exhaustion, two processes, sqlmap) and bench/ share,
 * in one require: the scripts and bench/ were written against this module, and keep working as its
 * parts moved to files of their own.
 */
const api = require('./api');
const build = require('./build');
const database = require('./database');
const http = require('./http');
const lifecycle = require('./lifecycle');
const report = require('./report');
const testData = require('./test-data');

module.exports = {
  ROOT: build.ROOT,
  ensureBuilt: build.ensureBuilt,
  sleep: lifecycle.sleep,
  log: lifecycle.log,
  run: lifecycle.run,
  isStopping: lifecycle.isStopping,
  onCleanup: lifecycle.onCleanup,
  freePort: lifecycle.freePort,
  startDatabase: database.startDatabase,
  withClient: database.withClient,
  startApi: api.startApi,
  unhandledErrors: api.unhandledErrors,
  tail: api.tail,
  request: http.request,
  PASSWORD: testData.PASSWORD,
  signIn: testData.signIn,
  participate: testData.participate,
  createUser: testData.createUser,
  createContact: testData.createContact,
  writeResult: report.writeResult,
  printTable: report.printTable,
  percentile: report.percentile,
  countBy: report.countBy,
};
