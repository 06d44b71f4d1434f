'use strict';
/* global Buffer */
/** Both servers must give the same answers, or the comparison of their figures means nothing. */
const http = require('node:http');
const { LIST_STATES, SEARCH_TERMS } = require('./seed');
const { log } = require('./util');

function get(url, headers = {}) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

/** Compares one path's answers; where they are the same and the list has a next page, that page too. */
async function compare(ctx, urlPath, headers) {
  const [api, reference] = await Promise.all([get(`${ctx.apiBase}${urlPath}`, headers), get(`${ctx.referenceBase}${urlPath}`)]);
  const apiBody = JSON.parse(api.body.toString());
  const referenceBody = JSON.parse(reference.body.toString());
  const same = api.status === 200 && reference.status === 200 && JSON.stringify(apiBody) === JSON.stringify(referenceBody);
  const checks = [
    {
      path: urlPath,
      same,
      items: apiBody.items?.length,
      nextCursor: apiBody.nextCursor !== null,
      ...(same ? {} : { apiStatus: api.status, api: api.body.toString().slice(0, 400), reference: reference.body.toString().slice(0, 400) }),
    },
  ];
  // The next page through the cursor, for the list.
  if (same && apiBody.nextCursor && urlPath.includes('state=')) {
    const next = `${urlPath}&cursor=${apiBody.nextCursor}`;
    const [api2, reference2] = await Promise.all([get(`${ctx.apiBase}${next}`, headers), get(`${ctx.referenceBase}${next}`)]);
    // The same JSON value, as for the first page: an uncached page is written by PostgreSQL, whose
    // JSON puts spaces where JSON.stringify puts none.
    const same2 = api2.status === 200 && JSON.stringify(JSON.parse(api2.body.toString())) === JSON.stringify(JSON.parse(reference2.body.toString()));
    checks.push({
      path: `${urlPath}&cursor=…`,
      same: same2,
      items: JSON.parse(api2.body.toString()).items?.length,
      ...(same2 ? {} : { apiStatus: api2.status, api: api2.body.toString().slice(0, 400), reference: reference2.body.toString().slice(0, 400) }),
    });
  }
  return checks;
}

async function checkSameAnswers(ctx, token) {
  const headers = { authorization: `Bearer ${token}` };
  const paths = [
    ...LIST_STATES.slice(0, 2).map((state) => `/api/v1/contacts?state=${state}&limit=50`),
    ...SEARCH_TERMS.slice(0, 3).map((term) => `/api/v1/contacts?q=${encodeURIComponent(term)}`),
    '/api/v1/disclosures',
    '/api/v1/disclosures?limit=200',
  ];
  const checks = [];
  for (const urlPath of paths) checks.push(...(await compare(ctx, urlPath, headers)));
  for (const check of checks) if (!check.same) log(`DIFFERENT ANSWERS for ${check.path}: API ${check.apiStatus} ${check.api}\n  reference ${check.reference}`);
  log(`Same answers: ${checks.filter((check) => check.same).length}/${checks.length} (${checks.map((c) => `${c.items} items`).join(', ')})`);
  return checks;
}

module.exports = { checkSameAnswers };
