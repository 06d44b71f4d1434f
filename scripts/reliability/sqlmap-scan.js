'use strict';
/**
 * npm run scan:sqlmap — Debian's sqlmap (installed with apt-get when missing) against every parameter
 * of the main read routes, signed in, on the API as built for production with its own embedded
 * PostgreSQL and some data (contacts, a CERT, a published disclosure, requests) so that each route
 * answers rows for its original parameter values.
 *
 *   GET /api/v1/contacts?q=&state=&kind=&region=&language=&limit=   GET /api/v1/contacts/:id (path)
 *   GET /api/v1/certs?q=&state=&type=&sector=                        GET /api/v1/disclosures?q=&state=&kind=&tlp=
 *   GET /api/v1/requests?direction=&type=&status=&urgency=&overdue=
 *   cursor= of each list: the payload goes inside the decoded cursor (base64url JSON [sort key, id]),
 *   re-encoded per request with --eval, so it reaches the keyset condition rather than the decoder.
 *
 * sqlmap runs with --batch --level=3 --risk=2 --dbms=PostgreSQL --technique=BEUST --time-sec=2
 * --threads=4; the free-text `q` parameters get a second pass with --tamper=space2comment,between.
 * Settings (environment): SQLMAP_LEVEL (3), SQLMAP_RISK (2), SQLMAP_THREADS (4), SQLMAP_ONLY (a
 * substring of target names, to run a subset). Figures: bench/results/sqlmap.json.
 */
const { Buffer } = require('node:buffer');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { randomUUID } = require('node:crypto');
const { disclosureBody } = require('../../test/fixtures/disclosure.fixture');
const { requestBody } = require('../../test/fixtures/request.fixture');
const lib = require('./lib');

const LEVEL = process.env.SQLMAP_LEVEL ?? '3';
const RISK = process.env.SQLMAP_RISK ?? '2';
const THREADS = process.env.SQLMAP_THREADS ?? '4';
const ONLY = process.env.SQLMAP_ONLY;

function ensureSqlmap() {
  if (spawnSync('sh', ['-c', 'command -v sqlmap'], { encoding: 'utf8' }).status === 0) return;
  lib.log('sqlmap is not installed: apt-get install -y sqlmap');
  let result = spawnSync('apt-get', ['install', '-y', 'sqlmap'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (result.status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit' });
    result = spawnSync('apt-get', ['install', '-y', 'sqlmap'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  if (result.status !== 0) throw new Error('could not install sqlmap (apt-get install -y sqlmap; needs root)');
}

const sqlmapVersion = () => (spawnSync('sqlmap', ['--version'], { encoding: 'utf8' }).stdout || '').trim().split('\n')[0];

/** Python for --eval: puts the (payloaded) sort key back into a base64url cursor with the row id. */
const cursorEval = (id) =>
  `import base64,json;cursor=base64.urlsafe_b64encode(json.dumps([cursor,${JSON.stringify(id)}]).encode()).decode().rstrip('=')`;

function runSqlmap(target, { base, auth, outputDir }) {
  return new Promise((resolve) => {
    const args = [
      '-u', `${base}${target.path}`,
      '--batch',
      `--level=${LEVEL}`,
      `--risk=${RISK}`,
      '--dbms=PostgreSQL',
      '--technique=BEUST',
      '--time-sec=2',
      `--threads=${THREADS}`,
      '--timeout=15',
      '--retries=1',
      '--flush-session',
      '--disable-coloring',
      '--skip-waf',
      `--output-dir=${outputDir}`,
      '-H', `Authorization: ${auth.Authorization}`,
      '-H', 'Accept: application/json',
      ...(target.params ? ['-p', target.params] : []),
      ...(target.extra ?? []),
    ];
    const started = performance.now();
    const child = spawn('sqlmap', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const kill = () => child.kill('SIGTERM');
    lib.onCleanup(kill);
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const injectionPoints = [...output.matchAll(/^Parameter: (.+)$/gm)].map((match) => match[1]);
      const identified = output.includes('sqlmap identified the following injection point');
      const notInjectable = [...output.matchAll(/(?:GET|URI) parameter '([^']+)' does not seem to be injectable/g)].map((match) => match[1]);
      const httpErrors = (/HTTP error codes detected during run:\n?(.*)/.exec(output) || [])[1];
      const falsePositives = (output.match(/false positive or unexploitable/g) || []).length;
      const criticals = [...output.matchAll(/\[CRITICAL\] (.*)/g)].map((match) => match[1]);
      fs.writeFileSync(path.join(outputDir, `${target.name}.txt`), output);
      resolve({
        name: target.name,
        originalRows: target.originalRows,
        params: target.params ?? 'path (*)',
        exitCode: code,
        seconds: Math.round(seconds),
        findings: identified ? Math.max(1, injectionPoints.length) : 0,
        injectionPoints,
        notInjectable,
        falsePositivesDiscarded: falsePositives,
        httpErrorCodes: httpErrors ? httpErrors.trim() : null,
        criticals,
      });
    });
  });
}

lib.run(async () => {
  ensureSqlmap();
  lib.ensureBuilt();
  const db = await lib.startDatabase('sqlmap');
  const api = await lib.startApi({ databaseUrl: db.url, dir: db.dir, env: { ACCESS_TOKEN_TTL_SECONDS: '3600', NOTIFICATION_WORKER_ENABLED: 'false' } });

  await lib.participate(db.url, ['ITA', 'NLD']);
  const officer = await lib.createUser(db.url, 'STATE_OFFICER', 'ITA');
  const officerNld = await lib.createUser(db.url, 'STATE_OFFICER', 'NLD');
  const contacts = [];
  for (let i = 0; i < 6; i += 1) contacts.push(await lib.createContact(db.url, 'NLD', { kind: 'TECHNICAL', name: `Contact ${i} national SOC` }));
  const auth = await lib.signIn(api, officer.email);
  const authNld = await lib.signIn(api, officerNld.email);

  const must = async (promise, what) => {
    const response = await promise;
    if (response.status >= 300) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const post = (path, body, headers) => lib.request('POST', `${api.url}${path}`, { headers, body });
  for (const name of ['National CERT', 'Energy sector CERT']) {
    await must(
      post('/api/v1/certs', { name, shortName: 'NL-CERT', type: 'NATIONAL', emails: ['cert@nld.example'], timeZone: 'Europe/Amsterdam', languages: ['en', 'nl'], sectors: ['ENERGY', 'FINANCE'] }, authNld),
      'a CERT',
    );
  }
  for (const title of ['Critical infrastructure designation', 'Energy designation update']) {
    const disclosure = await must(
      post('/api/v1/disclosures', disclosureBody({ title, summary: 'Sectors designated as critical under the national strategy.', sectors: ['ENERGY'] }), authNld),
      'a disclosure',
    );
    await must(post(`/api/v1/disclosures/${disclosure.id}/publish`, undefined, authNld), 'publishing');
  }
  for (let i = 0; i < 3; i += 1) await must(post('/api/v1/requests', requestBody({ recipients: ['NLD'] }), { ...auth, 'Idempotency-Key': randomUUID() }), 'a filing');

  const firstOf = async (path) => (await must(lib.request('GET', `${api.url}${path}`, { headers: auth }), path)).items[0];
  const contact = await firstOf('/api/v1/contacts?limit=1&state=NLD');
  const cert = await firstOf('/api/v1/certs?limit=1');
  const disclosure = await firstOf('/api/v1/disclosures?limit=1');
  const filed = await firstOf('/api/v1/requests?limit=1');

  const targets = [
    { name: 'contacts-list', path: '/api/v1/contacts?q=national&state=NLD&kind=TECHNICAL&region=WESTERN_EUROPEAN_AND_OTHERS&language=en&limit=5', params: 'q,state,kind,region,language,limit' },
    { name: 'contacts-cursor', path: `/api/v1/contacts?cursor=${encodeURIComponent(contact.name)}`, params: 'cursor', extra: [`--eval=${cursorEval(contact.id)}`] },
    { name: 'contacts-id-path', path: `/api/v1/contacts/${contact.id}*` },
    { name: 'certs-list', path: '/api/v1/certs?q=CERT&state=NLD&type=NATIONAL&sector=ENERGY', params: 'q,state,type,sector' },
    { name: 'certs-cursor', path: `/api/v1/certs?cursor=${encodeURIComponent(cert.name)}`, params: 'cursor', extra: [`--eval=${cursorEval(cert.id)}`] },
    { name: 'disclosures-list', path: '/api/v1/disclosures?q=designation&state=NLD&kind=CI_DESIGNATION&tlp=GREEN', params: 'q,state,kind,tlp' },
    { name: 'disclosures-cursor', path: `/api/v1/disclosures?cursor=${encodeURIComponent(disclosure.updatedAt)}`, params: 'cursor', extra: [`--eval=${cursorEval(disclosure.id)}`] },
    { name: 'requests-list', path: '/api/v1/requests?direction=outgoing&type=MITIGATION&status=SUBMITTED&urgency=URGENT&overdue=false', params: 'direction,type,status,urgency,overdue' },
    { name: 'requests-cursor', path: `/api/v1/requests?cursor=${encodeURIComponent(filed.createdAt)}`, params: 'cursor', extra: [`--eval=${cursorEval(filed.id)}`] },
    { name: 'q-tampered', path: '/api/v1/contacts?q=national', params: 'q', extra: ['--tamper=space2comment,between'] },
    { name: 'q-tampered-disclosures', path: '/api/v1/disclosures?q=designation', params: 'q', extra: ['--tamper=space2comment,between'] },
  ].filter((target) => !ONLY || target.name.includes(ONLY));

  // Each target's original values must answer 200 with rows, or sqlmap compares error pages.
  const cursorOf = (key, id) => Buffer.from(JSON.stringify([key, id])).toString('base64url');
  const preflight = {
    'contacts-cursor': `/api/v1/contacts?cursor=${cursorOf(contact.name, contact.id)}`,
    'certs-cursor': `/api/v1/certs?cursor=${cursorOf(cert.name, cert.id)}`,
    'disclosures-cursor': `/api/v1/disclosures?cursor=${cursorOf(disclosure.updatedAt, disclosure.id)}`,
    'requests-cursor': `/api/v1/requests?cursor=${cursorOf(filed.createdAt, filed.id)}`,
  };
  for (const target of targets) {
    const check = preflight[target.name] ?? target.path.replace(/\*$/, '');
    const response = await lib.request('GET', `${api.url}${check}`, { headers: auth });
    const rows = Array.isArray(response.body.items) ? response.body.items.length : response.body.id ? 1 : 0;
    if (response.status !== 200) throw new Error(`${target.name}: ${check} answers ${response.status} ${JSON.stringify(response.body)}`);
    target.originalRows = rows;
  }

  const outputDir = path.join(db.dir, 'sqlmap');
  fs.rmSync(outputDir, { recursive: true, force: true });
  fs.mkdirSync(outputDir, { recursive: true });
  const requestsServed = async () => {
    const response = await lib.request('GET', `${api.url}/metrics`);
    let total = 0;
    for (const match of String(response.body).matchAll(/^http_requests_total\{[^}]*\} (\d+)/gm)) total += Number(match[1]);
    return total;
  };
  const servedBefore = await requestsServed();
  const started = performance.now();
  const results = [];
  for (const target of targets) {
    lib.log(`sqlmap: ${target.name} (${target.params ?? 'path'})…`);
    const result = await runSqlmap(target, { base: api.url, auth, outputDir });
    lib.log(`  ${result.findings} finding(s), ${result.seconds} s, exit ${result.exitCode}${result.criticals.length ? `, CRITICAL: ${result.criticals.join(' | ')}` : ''}`);
    results.push(result);
  }
  const durationS = Math.round((performance.now() - started) / 1000);
  const httpRequests = (await requestsServed()) - servedBefore;
  const findings = results.reduce((sum, result) => sum + result.findings, 0);
  const parameters = results.reduce((sum, result) => sum + (result.params === 'path (*)' ? 1 : result.params.split(',').length), 0);
  const faults = lib.unhandledErrors(api.logFile);
  const statuses = lib.countBy(
    fs
      .readFileSync(api.logFile, 'utf8')
      .split('\n')
      .map((line) => (/"statusCode":(\d{3})/.exec(line) || [])[1])
      .filter(Boolean),
  );

  const figures = {
    sqlmap: sqlmapVersion(),
    options: { level: LEVEL, risk: RISK, threads: THREADS, dbms: 'PostgreSQL', technique: 'BEUST', timeSec: 2, tamper: 'space2comment,between on q (second pass)' },
    targets: results.length,
    parametersTested: parameters,
    findings,
    durationS,
    httpRequestsServed: httpRequests,
    apiProcessSurvived: api.alive,
    loggedStatusesOver400: statuses,
    unhandledErrorsInApiLog: faults.length,
    unhandledErrorSamples: faults.slice(0, 5),
    results,
    sqlmapOutput: path.relative(lib.ROOT, outputDir),
  };
  lib.printTable(`sqlmap ${figures.sqlmap}: --level=${LEVEL} --risk=${RISK}, ${parameters} parameters on ${results.length} targets`, [
    ...results.map((result) => [`${result.name} [${result.params}]`, `${result.findings} finding(s), ${result.seconds} s${result.exitCode ? `, exit ${result.exitCode}` : ''}`]),
    ['findings in total (expected 0)', findings],
    ['duration / HTTP requests sent', `${durationS} s / ${httpRequests}`],
    ['API answers ≥ 400 logged, by status', Object.entries(statuses).map(([key, value]) => `${key}:${value}`).join(' ') || 'none'],
    ['500s (unhandled errors in the API log)', faults.length],
    ['API process survived', api.alive ? 'yes' : 'NO'],
  ]);
  lib.writeResult('sqlmap', figures);
  return findings === 0 && faults.length === 0 && results.every((result) => result.exitCode === 0) ? 0 : 1;
});
