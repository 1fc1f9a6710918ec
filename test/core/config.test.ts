// The project config file: found upward, validated with file/line/key, merged under front-end settings,
// and the published schema kept in step with the rule registry.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { configSchema, configToOptions, mergeOptions, parseConfigFile, validateConfig } from '../../src/core/config.js';
import { findConfigFile, loadProjectConfig } from '../../src/node/config-file.js';
import { allRules } from '../../rules/index.js';
import { repoRoot } from '../helpers/paths.js';

const IDS = allRules.map((r) => r.id);

describe('project config (.kubeconn.yaml)', () => {
  it('is found from a nested folder upward, and stops at the repository root', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconn-config-'));
    fs.mkdirSync(path.join(root, 'repo/.git'), { recursive: true });
    fs.mkdirSync(path.join(root, 'repo/deploy/overlays/prod'), { recursive: true });
    fs.writeFileSync(path.join(root, '.kubeconn.yaml'), 'kubernetesVersion: "1.28"\n'); // above the repository: not used
    assert.equal(findConfigFile(path.join(root, 'repo/deploy/overlays/prod')), undefined);
    fs.writeFileSync(path.join(root, 'repo/.kubeconn.yaml'), 'kubernetesVersion: "1.29"\nimageMap: {orders: services/orders/Dockerfile}\n');
    const found = loadProjectConfig(path.join(root, 'repo/deploy/overlays/prod'), IDS);
    assert.equal(found.file, path.join(root, 'repo/.kubeconn.yaml'));
    assert.deepEqual(found.problems, []);
    assert.equal(found.options.kubernetesVersion, '1.29');
    // Paths are relative to the config file's folder.
    assert.deepEqual(found.options.imageMap, { orders: path.join(root, 'repo/services/orders/Dockerfile') });
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('reads the limits: maxFileBytes and maxParseMs (the per-file time budget)', () => {
    const { config, problems } = parseConfigFile('/p/.kubeconn.yaml', 'maxFileBytes: 1024\nmaxParseMs: 250\n', IDS);
    assert.deepEqual(problems, []);
    assert.deepEqual(configToOptions(config), { maxFileBytes: 1024, maxParseMs: 250 });
    assert.match(parseConfigFile('/p/.kubeconn.yaml', 'maxParseMs: 0\n', IDS).problems[0]?.message ?? '', /maxParseMs/);
  });

  it('reports an unknown key with its line, column and a suggestion, and keeps the valid keys', () => {
    const text = 'kubernetesVersion: "1.31"\nrules:\n  prestop-slep: off\n  readiness-probe: loud\npreStopSecond: 5\ndrainSeconds: 0\n';
    const { config, problems } = parseConfigFile('/p/.kubeconn.yaml', text, IDS);
    assert.deepEqual(
      problems.map((p) => `${p.line}:${p.column} ${p.key} ${p.message}`),
      [
        "3:3 rules.prestop-slep unknown rule 'prestop-slep' (did you mean 'prestop-sleep'?)",
        '4:20 rules.readiness-probe rules.readiness-probe must be equal to one of the allowed values: off, info, warn, error',
        "5:1 preStopSecond unknown key 'preStopSecond' (did you mean 'preStopSeconds'?)",
        '6:15 drainSeconds drainSeconds must be >= 1',
      ],
    );
    assert.deepEqual(config, { kubernetesVersion: '1.31', rules: {} });
  });

  it('an unusable exclude/include pattern is a warning at its line and is left out; the other patterns apply', () => {
    const text = 'exclude:\n  - generated/\n  - "**/*.{yaml"\ninclude: [pkg/testdata/, "  "]\n';
    const { config, problems } = parseConfigFile('/p/.kubeconn.yaml', text, IDS);
    assert.deepEqual(
      problems.map((p) => `${p.line}:${p.column} ${p.severity} ${p.key} ${p.message}`),
      [
        '3:5 warning exclude.1 exclude: "**/*.{yaml" uses braces, which gitignore patterns do not support (list each pattern on its own); the pattern is ignored',
        '4:26 warning include.1 include: an empty pattern matches nothing; the pattern is ignored',
      ],
    );
    assert.deepEqual(config, { exclude: ['generated/'], include: ['pkg/testdata/'] });
    // settings.kubeconn (ESLint) goes through the same check, without positions.
    assert.deepEqual(validateConfig({ exclude: ['*.{yml,yaml}'] }, IDS, 'settings.kubeconn').config, { exclude: [] });
  });

  it('reports YAML syntax errors and non-mapping content without throwing', () => {
    assert.match(parseConfigFile('/p/.kubeconn.yaml', 'rules: [a\n', IDS).problems[0]!.message, /YAML syntax error/);
    assert.match(parseConfigFile('/p/.kubeconn.yaml', '- a\n- b\n', IDS).problems[0]!.message, /must be a mapping/);
    assert.deepEqual(parseConfigFile('/p/.kubeconn.yaml', '# nothing yet\n', IDS), { config: {}, problems: [] });
    assert.deepEqual(parseConfigFile('/p/kubeconn.config.json', '{"appProtocol": "grpc"}', IDS).config, { appProtocol: 'grpc' });
  });

  it('validates settings objects (ESLint settings.kubeconn) by the same schema', () => {
    const { problems } = validateConfig({ kubernetesVersoin: '1.30' }, IDS, 'settings.kubeconn');
    assert.equal(problems[0]!.message, "unknown key 'kubernetesVersoin' (did you mean 'kubernetesVersion'?)");
    assert.equal(problems[0]!.source, 'settings.kubeconn');
  });

  it('merges layers: later wins, rules and imageMap merge by key, exclude lists add up', () => {
    const merged = mergeOptions(
      { kubernetesVersion: '1.29', rules: { 'prestop-sleep': 'off' }, exclude: ['a/'] },
      { rules: { 'readiness-probe': 'error' }, exclude: ['b/'], kubernetesVersion: undefined },
      { kubernetesVersion: '1.31' },
    );
    assert.deepEqual(merged, {
      kubernetesVersion: '1.31',
      rules: { 'prestop-sleep': 'off', 'readiness-probe': 'error' },
      exclude: ['a/', 'b/'],
    });
  });

  it('the published schema equals what the registry generates (run scripts/rules-sync.mjs after adding a rule)', () => {
    const published = JSON.parse(fs.readFileSync(path.join(repoRoot, 'schema/kubeconn.schema.json'), 'utf8')) as unknown;
    assert.deepEqual(published, configSchema(IDS));
  });
});
