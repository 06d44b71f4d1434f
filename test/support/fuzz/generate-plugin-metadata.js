// Child process for test/support/fuzz/openapi-document.ts: runs the @nestjs/swagger CLI plugin (the
// one `nest build` applies, with the options from nest-cli.json) over the sources, in read-only mode,
// and writes what it learns (DTO properties, validation bounds, response types) to a metadata.ts
// that SwaggerModule.loadPluginMetadata() can apply. ts-jest does not run the plugin (the spec
// tsconfig has isolatedModules), so without this the document built in tests has no 2xx responses
// and empty request bodies. Prints the written file's path as its only line.
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');
const { PluginMetadataGenerator } = require('@nestjs/cli/lib/compiler/plugins/plugin-metadata-generator');
const { ReadonlyVisitor } = require('@nestjs/swagger/plugin');

const root = path.resolve(__dirname, '..', '..', '..');
const outputDir = process.argv[2];
if (!outputDir) throw new Error('usage: generate-plugin-metadata.js OUTPUT_DIR');

const nestCli = JSON.parse(fs.readFileSync(path.join(root, 'nest-cli.json'), 'utf8'));
const plugin = (nestCli.compilerOptions.plugins ?? []).find((one) => (typeof one === 'string' ? one : one.name) === '@nestjs/swagger');
if (!plugin) throw new Error('nest-cli.json does not use the @nestjs/swagger plugin');
const pluginOptions = typeof plugin === 'string' ? {} : (plugin.options ?? {});

const config = ts.getParsedCommandLineOfConfigFile(path.join(root, nestCli.compilerOptions.tsConfigPath ?? 'tsconfig.build.json'), {}, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
    throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  },
});
// Without outDir/rootDir the metadata imports the sources (which Jest loads), not dist/.
const program = ts.createProgram({ rootNames: config.fileNames, options: { ...config.options, outDir: undefined, rootDir: undefined, noEmit: true } });

fs.mkdirSync(outputDir, { recursive: true });
new PluginMetadataGenerator().generate({
  tsProgramRef: program,
  outputDir,
  filename: 'metadata.ts',
  visitors: [new ReadonlyVisitor({ ...pluginOptions, pathToSource: outputDir })],
});
process.stdout.write(`${path.join(outputDir, 'metadata.ts')}\n`);
