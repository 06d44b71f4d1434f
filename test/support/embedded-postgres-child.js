// Child process for test/support/embedded-postgres-process.ts: starts the embedded PostgreSQL with
// the product's own startEmbeddedPostgres (TypeScript, transpiled here on load), prints its URL as
// one JSON line, and stops it on SIGTERM.
const fs = require('node:fs');
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: filename,
  });
  module._compile(outputText, filename);
};

const { startEmbeddedPostgres } = require('../../libs/database/src/embedded-postgres.ts');
const [dataDir, port] = process.argv.slice(2);

startEmbeddedPostgres({ dataDir, port: Number(port) })
  .then((server) => {
    process.stdout.write(`${JSON.stringify({ serverUrl: server.serverUrl })}\n`);
    process.once('SIGTERM', () => server.stop().then(() => process.exit(0)));
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
