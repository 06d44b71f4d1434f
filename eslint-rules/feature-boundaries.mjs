// @ts-check
/**
 * A feature is a folder of apps/api/src holding a `*.module.ts` (the nearest such folder above a
 * file). From outside a feature, only its public face may be imported: its `index.ts`. Folders
 * without a module (http/, openapi/, directory/'s shared core) are shared code anyone may import.
 * Hand-written rather than eslint-plugin-boundaries: that plugin needs an import resolver for the
 * TypeScript paths, and this rule is the one check we need, in forty lines that say exactly what
 * it enforces.
 */
import fs from 'node:fs';
import path from 'node:path';

const APP_ROOT = path.resolve('apps/api/src');
const moduleFolders = new Map();

function isModuleFolder(folder) {
  if (!moduleFolders.has(folder)) {
    moduleFolders.set(folder, fs.existsSync(folder) && fs.readdirSync(folder).some((name) => name.endsWith('.module.ts')));
  }
  return moduleFolders.get(folder);
}

/** The feature folder a file belongs to; APP_ROOT for the composition root; undefined for shared code. */
function featureOf(file) {
  for (let folder = path.dirname(file); folder.startsWith(APP_ROOT); folder = path.dirname(folder)) {
    if (folder === APP_ROOT) return APP_ROOT;
    if (isModuleFolder(folder)) return folder;
  }
  return undefined;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: "Import another feature only through its index.ts, never its internals" },
    schema: [],
  },
  create(context) {
    const file = path.resolve(context.filename);
    if (!file.startsWith(APP_ROOT + path.sep)) return {};
    const from = featureOf(file) ?? path.dirname(file);
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), source);
      const targetFeature = featureOf(target + '.ts');
      if (!targetFeature || targetFeature === APP_ROOT || targetFeature === from) return;
      if (target === targetFeature || target === path.join(targetFeature, 'index')) return;
      context.report({
        node: node.source,
        message: `'${source}' reaches into the ${path.relative(APP_ROOT, targetFeature)} feature: import what it exports from '${path.relative(path.dirname(file), targetFeature) || '.'}' (its index.ts).`,
      });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};
