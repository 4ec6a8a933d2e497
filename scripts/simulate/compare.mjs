// Compares poolscope's concrete evaluator with the npm package
// @cloud-copilot/iam-simulate on random policy × request pairs, and reports
// the pairs on which the two decide differently.
//
// Usage (from this folder):
//   npm install
//   (cd ../.. && cargo build --example eval_batch)
//   node compare.mjs --n 2000 --seed 1
//
// Options: --n N (pairs, default 2000), --seed S (default 1), --show K
// (disagreements printed in full, default 5), --bin PATH (the eval_batch
// binary; default ../../target/debug/examples/eval_batch), --out FILE (write
// every disagreement as JSON lines).
//
// The pairs focus on Resource / NotResource: ARNs with and without policy
// variables (`${aws:username}`, `${cognito-identity.amazonaws.com:sub}`,
// `${aws:PrincipalTag/team}`, a default value), wildcards `*` and `?`,
// Allow and Deny, and a few condition operators (String, Ip, Bool, Null,
// IfExists). Each pair is one identity-based policy of the caller and one
// request in the caller's account; both evaluators see the same explicit
// context (iam-simulate derives no keys from the principal, so
// `aws:username` is given for IAM users, as AWS sets it, and never for role
// sessions).
//
// iam-simulate is run through `runUnsafeSimulation`, which takes the
// context as given: `runSimulation` also drops keys that the Service
// Authorization Reference does not list for the action (the Cognito `sub`
// for `s3:GetObject`, for one), a modelling step poolscope does not make.
// Only the evaluation logic is compared. iam-simulate is AGPL-3.0 licensed;
// it is installed here for the comparison only and nothing of it is copied
// into poolscope.

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runUnsafeSimulation } from '@cloud-copilot/iam-simulate';

const here = dirname(fileURLToPath(import.meta.url));

function options(argv) {
  const out = {
    n: 2000,
    seed: 1,
    show: 5,
    bin: join(here, '..', '..', 'target', 'debug', 'examples', 'eval_batch'),
    out: null,
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    switch (flag) {
      case '--n': out.n = Number(value); break;
      case '--seed': out.seed = Number(value); break;
      case '--show': out.show = Number(value); break;
      case '--bin': out.bin = value; break;
      case '--out': out.out = value; break;
      default: throw new Error(`unknown option ${flag}`);
    }
  }
  return out;
}

// mulberry32: a small seeded generator, so a seed names one set of pairs.
function generator(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    count: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
  };
}

const ACCOUNT = '111122223333';
const ME = 'us-east-1:aaaaaaaa-0000-4000-8000-000000000001';
const OTHER = 'us-east-1:bbbbbbbb-0000-4000-8000-000000000002';

const PRINCIPALS = [
  { kind: 'user', arn: `arn:aws:iam::${ACCOUNT}:user/bob`, username: 'bob' },
  { kind: 'cognito', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Auth/CognitoIdentityCredentials`, sub: ME },
  { kind: 'role', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/App/session` },
];

// Request resources, each with the actions that can act on it.
const RESOURCES = [
  { arn: 'arn:aws:s3:::home/bob/notes.txt', actions: ['s3:GetObject', 's3:PutObject'] },
  { arn: 'arn:aws:s3:::home/alice/notes.txt', actions: ['s3:GetObject', 's3:PutObject'] },
  { arn: `arn:aws:s3:::home/${ME}/a.jpg`, actions: ['s3:GetObject', 's3:PutObject'] },
  { arn: `arn:aws:s3:::home/${OTHER}/a.jpg`, actions: ['s3:GetObject'] },
  { arn: 'arn:aws:s3:::home/red/plan.txt', actions: ['s3:GetObject'] },
  { arn: 'arn:aws:s3:::photos/public/cat.png', actions: ['s3:GetObject'] },
  { arn: 'arn:aws:s3:::photos', actions: ['s3:ListBucket'] },
  { arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:bob`, actions: ['sqs:SendMessage'] },
  { arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:jobs`, actions: ['sqs:SendMessage'] },
  { arn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/red`, actions: ['dynamodb:GetItem'] },
  { arn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Notes`, actions: ['dynamodb:GetItem'] },
];

const STATEMENT_ACTIONS = ['*', 's3:*', 's3:Get*', 's3:GetObject', 'sqs:*', 'dynamodb:GetItem', ['s3:*', 'sqs:*']];

const RESOURCE_ENTRIES = [
  '*',
  'arn:aws:s3:::home/${aws:username}/*',
  'arn:aws:s3:::home/${cognito-identity.amazonaws.com:sub}/*',
  'arn:aws:s3:::home/${aws:PrincipalTag/team}/*',
  "arn:aws:s3:::home/${aws:username, 'alice'}/*",
  'arn:aws:s3:::home/*',
  'arn:aws:s3:::home/b?b/*',
  'arn:aws:s3:::photos/*',
  'arn:aws:s3:::photos',
  'arn:aws:s3:::*/public/*',
  `arn:aws:sqs:*:${ACCOUNT}:\${aws:username}`,
  'arn:aws:sqs:us-east-1:*:*',
  'arn:aws:dynamodb:*:*:table/${aws:PrincipalTag/team}',
  `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Notes`,
  'arn:aws:s3:::home/${aws:username}/${aws:PrincipalTag/team}*',
];

const CONDITIONS = [
  { StringEquals: { 'aws:username': 'bob' } },
  { StringLike: { 's3:prefix': 'home/${aws:username}/*' } },
  { StringNotLike: { 's3:prefix': 'home/${aws:username}/*' } },
  { StringEquals: { 'aws:PrincipalTag/team': 'red' } },
  { StringNotEqualsIfExists: { 'aws:PrincipalTag/team': 'red' } },
  { StringLike: { 'cognito-identity.amazonaws.com:sub': 'us-east-1:*' } },
  { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
  { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
  { Bool: { 'aws:SecureTransport': 'true' } },
  { BoolIfExists: { 'aws:SecureTransport': 'false' } },
  { Null: { 'aws:username': 'true' } },
  { Null: { 'cognito-identity.amazonaws.com:sub': 'false' } },
];

function statement(rng) {
  const out = { Effect: rng.chance(0.55) ? 'Allow' : 'Deny' };
  out[rng.chance(0.15) ? 'NotAction' : 'Action'] = rng.pick(STATEMENT_ACTIONS);
  const entries = [];
  const count = rng.count(1, 2);
  while (entries.length < count) {
    const entry = rng.pick(RESOURCE_ENTRIES);
    if (!entries.includes(entry)) entries.push(entry);
  }
  const resource = entries.length === 1 ? entries[0] : entries;
  out[rng.chance(0.45) ? 'NotResource' : 'Resource'] = resource;
  if (rng.chance(0.35)) out.Condition = rng.pick(CONDITIONS);
  return out;
}

function pair(rng, id) {
  const principal = rng.pick(PRINCIPALS);
  const resource = rng.pick(RESOURCES);
  const action = rng.pick(resource.actions);
  const context = {};
  if (principal.username) context['aws:username'] = principal.username;
  if (principal.sub) context['cognito-identity.amazonaws.com:sub'] = principal.sub;
  if (rng.chance(0.5)) context['aws:PrincipalTag/team'] = rng.pick(['red', 'blue']);
  if (rng.chance(0.8)) context['aws:SourceIp'] = rng.pick(['203.0.113.7', '198.51.100.1']);
  if (rng.chance(0.7)) context['aws:SecureTransport'] = rng.pick(['true', 'false']);
  if (action === 's3:ListBucket' && rng.chance(0.7)) {
    context['s3:prefix'] = rng.pick(['home/bob/', 'home/alice/x', 'public/']);
  }
  const statements = Array.from({ length: rng.count(1, 3) }, () => statement(rng));
  return {
    id,
    policy: { Version: '2012-10-17', Statement: statements },
    request: { principal: principal.arn, action, resource: resource.arn, context },
  };
}

/// The keys of the variables in a Resource entry that have neither a value
/// in the context nor a default.
function unresolved(entry, context) {
  const keys = Object.keys(context).map((k) => k.toLowerCase());
  const out = [];
  for (const match of entry.matchAll(/\$\{([^}]*)\}/g)) {
    const [key, fallback] = match[1].split(',');
    if (fallback === undefined && !keys.includes(key.trim().toLowerCase())) out.push(key.trim());
  }
  return out;
}

/// An ARN pattern as a regular expression over the whole ARN: `*` spans
/// any text, `:` included (exact for the S3 ARNs here, which have no region
/// or account; slightly looser than ARN matching elsewhere, which is good
/// enough to label a disagreement).
function arnGlob(pattern) {
  const body = [...pattern]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

/// The entry with its variables that have no value (and no default) read
/// as `*`, the others substituted.
function missingAsWildcards(entry, context) {
  const values = Object.fromEntries(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
  return entry.replace(/\$\{([^}]*)\}/g, (_, inner) => {
    const [key, fallback] = inner.split(',');
    const value = values[key.trim().toLowerCase()];
    if (typeof value === 'string') return value;
    if (fallback !== undefined) return fallback.trim().replace(/^'|'$/g, '');
    return '*';
  });
}

/// The known causes of a disagreement (docs/testing.md explains each), or
/// `other`. Heuristics over the pair, not a proof of the cause.
function causes(testCase) {
  const out = new Set();
  const { context, resource } = testCase.request;
  for (const s of testCase.policy.Statement) {
    const negated = 'NotResource' in s;
    for (const entry of [negated ? s.NotResource : s.Resource].flat()) {
      const resourcePart = entry.split(':').length > 5 ? entry.split(':').slice(5).join(':') : '';
      const separator = resourcePart.search(/[/:]/);
      const variable = resourcePart.indexOf('${');
      if (!entry.startsWith('arn:aws:s3:::') && variable >= 0 && separator > variable && separator < resourcePart.indexOf('}', variable)) {
        out.add('a `:` inside a policy variable, read by iam-simulate as the end of the resource type');
      }
      if (negated && unresolved(entry, context).length > 0) {
        if (arnGlob(missingAsWildcards(entry, context)).test(resource)) {
          out.add('a NotResource entry without a value that some value could make match');
        } else if (entry.startsWith('arn:aws:s3:::')) {
          out.add('an S3 NotResource entry without a value that no value could make match');
        }
      }
    }
  }
  for (const s of testCase.policy.Statement) {
    for (const [operator, block] of Object.entries(s.Condition ?? {})) {
      if (!/^(String|Arn)Not/.test(operator)) continue;
      for (const values of Object.values(block)) {
        if ([values].flat().some((v) => unresolved(v, context).length > 0)) {
          out.add('a negated condition operator on a value whose variable has no value');
        }
      }
    }
  }
  return out.size ? [...out].sort() : ['other'];
}

function simulate(testCase) {
  const simulation = {
    request: {
      principal: testCase.request.principal,
      action: testCase.request.action,
      resource: { resource: testCase.request.resource, accountId: ACCOUNT },
      contextVariables: testCase.request.context,
    },
    identityPolicies: [{ name: 'policy', policy: testCase.policy }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  };
  try {
    const result = runUnsafeSimulation(simulation, {});
    return { Allowed: 'allowed', ExplicitlyDenied: 'explicitly_denied', ImplicitlyDenied: 'implicitly_denied' }[result] ?? `other: ${result}`;
  } catch (error) {
    return `error: ${error.message}`;
  }
}

function poolscope(cases, bin) {
  const input = cases.map((c) => JSON.stringify(c)).join('\n') + '\n';
  const run = spawnSync(bin, [], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.error || run.status !== 0) {
    throw new Error(`${bin} failed: ${run.error?.message ?? run.stderr}`);
  }
  const byId = new Map();
  for (const line of run.stdout.split('\n')) {
    if (!line.trim()) continue;
    const answer = JSON.parse(line);
    byId.set(answer.id, answer);
  }
  return byId;
}

function main() {
  const opts = options(process.argv.slice(2));
  const rng = generator(opts.seed);
  const cases = Array.from({ length: opts.n }, (_, i) => pair(rng, i));
  const ours = poolscope(cases, opts.bin);
  const disagreements = [];
  const byFeature = new Map();
  let assumed = 0;
  for (const testCase of cases) {
    const mine = ours.get(testCase.id);
    const theirs = simulate(testCase);
    const decision = mine?.decision ?? `error: ${mine?.error ?? 'no answer'}`;
    if (mine?.assumptions?.length) assumed += 1;
    if (decision === theirs) continue;
    const group = causes(testCase).join(' + ');
    byFeature.set(group, (byFeature.get(group) ?? 0) + 1);
    disagreements.push({ ...testCase, poolscope: decision, iamSimulate: theirs, cause: group, assumptions: mine?.assumptions ?? [] });
  }
  console.log(`pairs: ${cases.length} (seed ${opts.seed})`);
  console.log(`poolscope evaluations that record an assumption: ${assumed}`);
  console.log(`disagreements: ${disagreements.length}`);
  for (const [group, count] of [...byFeature].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
    console.log(`  ${count}\t${group}`);
  }
  for (const d of disagreements.slice(0, opts.show)) {
    console.log(`\n#${d.id}: poolscope ${d.poolscope}, iam-simulate ${d.iamSimulate}`);
    console.log(`  ${d.request.principal} ${d.request.action} ${d.request.resource}`);
    console.log(`  context ${JSON.stringify(d.request.context)}`);
    for (const s of d.policy.Statement) console.log(`  ${JSON.stringify(s)}`);
  }
  if (opts.out) {
    writeFileSync(opts.out, disagreements.map((d) => JSON.stringify(d)).join('\n') + '\n');
  }
}

main();
