import Ajv2020 from 'ajv/dist/2020';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { domainToASCII } from 'node:url';

/**
 * The judges of the STIX and MISP exports: the official schemas, kept beside the project in
 * ../shared/reference (the same path from a worktree and from the main checkout), loaded from disk —
 * nothing is fetched while testing. See ../shared/reference/INTEROP.md.
 */
export const REFERENCE_DIR = findReferenceDir();

/**
 * `shared/reference` beside the checkout (`../shared/reference` from the repository's root, as CI has
 * it), else beside one of its parent folders, else beside the checkout this one was cloned from (a
 * clean clone made in a scratch folder), else where CBM_SHARED_REFERENCE says.
 */
function findReferenceDir(): string {
  if (process.env.CBM_SHARED_REFERENCE) return path.resolve(process.env.CBM_SHARED_REFERENCE);
  const root = path.resolve(__dirname, '../..');
  const candidates: string[] = [];
  for (let folder = root; path.dirname(folder) !== folder; folder = path.dirname(folder)) candidates.push(path.join(path.dirname(folder), 'shared', 'reference'));
  const origin = clonedFrom(root);
  if (origin) candidates.push(path.join(path.dirname(origin), 'shared', 'reference'));
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`No shared/reference in ${candidates.join(', ')}: set CBM_SHARED_REFERENCE`);
  return found;
}

/** The local checkout `root` was cloned from, if it was cloned from a folder on this machine. */
function clonedFrom(root: string): string | undefined {
  try {
    const url = execFileSync('git', ['config', '--get', 'remote.origin.url'], { cwd: root, encoding: 'utf8' }).trim();
    const local = url.startsWith('file://') ? url.slice('file://'.length) : url;
    return path.isAbsolute(local) && existsSync(local) ? path.resolve(local) : undefined;
  } catch {
    // Not a git checkout, or no origin: only the folders around the checkout are looked at.
    return undefined;
  }
}

const STIX_SCHEMAS = path.join(REFERENCE_DIR, 'stix2-json-schemas/schemas');
export const STIX_BUNDLE_SCHEMA_ID = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/common/bundle.json';

export interface Verdict {
  valid: boolean;
  errors: string[];
}

function jsonFilesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const file = path.join(folder, name);
    if (statSync(file).isDirectory()) return jsonFilesUnder(file);
    return name.endsWith('.json') ? [file] : [];
  });
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

/**
 * Every OASIS STIX 2.1 schema, registered by its `$id` (they refer to each other relatively), in
 * Ajv's strict mode but for two things about how the schemas are written, not what they require:
 * `strictTypes` (they put `pattern` beside a `$ref` without repeating `type: string`) and Unicode
 * regular expressions (their patterns escape `-` outside classes, which only non-Unicode
 * expressions allow). `idn-hostname`, which ajv-formats lacks, is checked as the hostname its
 * ASCII (punycode) form must be, so domain-name values are checked rather than skipped.
 */
export function stixBundleValidator(): { validate: (bundle: unknown) => Verdict; schemaCount: number } {
  const ajv = new Ajv2020({ strictTypes: false, unicodeRegExp: false, allErrors: true });
  addFormats(ajv);
  const hostname = fullFormats.hostname as RegExp;
  ajv.addFormat('idn-hostname', (value: string) => {
    const ascii = domainToASCII(value);
    return ascii !== '' && hostname.test(ascii);
  });
  const files = jsonFilesUnder(STIX_SCHEMAS);
  for (const file of files) ajv.addSchema(readJson(file));
  const bundle = ajv.getSchema(STIX_BUNDLE_SCHEMA_ID);
  if (!bundle) throw new Error(`No schema ${STIX_BUNDLE_SCHEMA_ID} under ${STIX_SCHEMAS}`);
  return {
    schemaCount: files.length,
    validate: (document) => {
      const valid = bundle(document) as boolean;
      return { valid, errors: (bundle.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? error.keyword}`) };
    },
  };
}

export interface DescribeTypes {
  types: string[];
  categories: string[];
  category_type_mappings: Record<string, string[]>;
  sane_defaults: Record<string, { default_category: string; to_ids: number }>;
}

/**
 * MISP's event schema (draft-04, so ajv-draft-04), the strict variant `schema.json` (no additional
 * properties anywhere). Ajv's strict mode is off for it: MISP keeps its definitions under a
 * non-standard `defs` and one `properties` block holds a stray `required` array, which strict mode
 * refuses to compile; validation itself is unchanged.
 */
export function mispEventValidator(): { validate: (event: unknown) => Verdict; describeTypes: DescribeTypes } {
  const ajv = new AjvDraft04({ strict: false, allErrors: true });
  const schema = ajv.compile(readJson(path.join(REFERENCE_DIR, 'misp/schema.json')));
  const describeTypes = readJson(path.join(REFERENCE_DIR, 'misp/describeTypes.json')).result as DescribeTypes;
  return {
    describeTypes,
    validate: (document) => {
      const valid = schema(document) as boolean;
      const errors = (schema.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? error.keyword}`);
      // What the schema leaves open (every field is a string to it), MISP's type table decides.
      const attributes = (document as { Event?: { Attribute?: Array<{ type: string; category: string; to_ids: boolean }> } }).Event?.Attribute ?? [];
      attributes.forEach((attribute, index) => {
        const defaults = describeTypes.sane_defaults[attribute.type];
        if (!describeTypes.types.includes(attribute.type) || !defaults) errors.push(`/Event/Attribute/${index}/type ${attribute.type} is no MISP attribute type`);
        else {
          if (!describeTypes.category_type_mappings[attribute.category]?.includes(attribute.type)) errors.push(`/Event/Attribute/${index}/category ${attribute.category} does not take ${attribute.type}`);
          if (attribute.category !== defaults.default_category) errors.push(`/Event/Attribute/${index}/category is not ${attribute.type}'s default, ${defaults.default_category}`);
          if (attribute.to_ids !== Boolean(defaults.to_ids)) errors.push(`/Event/Attribute/${index}/to_ids is not ${attribute.type}'s default, ${Boolean(defaults.to_ids)}`);
        }
      });
      return { valid: valid && errors.length === 0, errors };
    },
  };
}
