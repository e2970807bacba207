/**
 * The GitHub workflow's steps, run as Actions runs them: each `run:` under the shell Actions would
 * use (the workflow's `defaults.run.shell`, or Actions' default `bash -e {0}`, which has no
 * pipefail), with `${{ … }}` read as its fallback, in a directory whose `scripts/` are stand-ins that
 * pass or fail on demand. A step that runs a failing script must fail; one whose scripts pass must
 * pass.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { tempWorkspace } from '../helpers/cli.js';

interface Step {
  name?: string;
  run?: string;
  shell?: string;
  uses?: string;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  defaults?: { run?: { shell?: string } };
  jobs: Record<string, { steps: Step[]; defaults?: { run?: { shell?: string } } }>;
}

const workflow = parse(
  readFileSync(join(PACKAGE_ROOT, '.github', 'workflows', 'integration-test.yml'), 'utf8'),
) as Workflow;
const jobs = Object.values(workflow.jobs);
const steps = jobs.flatMap((job) => job.steps.map((step) => ({ job, step })));

/** The command line Actions runs a step with, on Linux (docs: "Default shell"). */
function shellFor({ job, step }: (typeof steps)[number]): string[] {
  const shell = step.shell ?? job.defaults?.run?.shell ?? workflow.defaults?.run?.shell;
  if (shell === undefined) return ['bash', '-e'];
  if (shell === 'bash') return ['bash', '--noprofile', '--norc', '-eo', 'pipefail'];
  if (shell === 'sh') return ['sh', '-e'];
  throw new Error(`a shell this test does not know: ${shell}`);
}

/** `${{ a || 'x' }}` is 'x', any other expression empty: no event inputs, no matrix. */
const expand = (script: string) =>
  script.replace(/\$\{\{([^}]*)\}\}/g, (_, e: string) => /\|\|\s*'([^']*)'\s*$/.exec(e.trim())?.[1] ?? '');

const scripted = steps.filter(({ step }) => step.run?.includes('./scripts/'));

/** Runs a step in a directory where the named scripts fail and every other passes. */
function runStep(entry: (typeof steps)[number], failing: Set<string>) {
  const { step } = entry;
  const dir = tempWorkspace('fim-workflow-');
  mkdirSync(join(dir, 'scripts'));
  for (const name of new Set(step.run!.match(/scripts\/[\w.]+\.sh/g))) {
    const file = join(dir, name);
    const fails = failing.has(name.slice('scripts/'.length));
    writeFileSync(file, `#!/bin/sh\necho "${name}: ${fails ? 'FAILED' : 'PASSED'}"\nexit ${fails ? 1 : 0}\n`);
    chmodSync(file, 0o755);
  }
  const [command, ...args] = shellFor(entry);
  const scriptFile = join(dir, 'step.sh');
  writeFileSync(scriptFile, expand(step.run!));
  return spawnSync(command!, [...args, scriptFile], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, GITHUB_STEP_SUMMARY: join(dir, 'summary.md') },
  });
}

const scriptsOf = ({ step }: (typeof steps)[number]) => [
  ...new Set(step.run!.match(/(?<=scripts\/)[\w.]+\.sh/g)),
];

describe('the integration workflow', () => {
  it('runs scripts in steps at all (the test below has something to check)', () => {
    assert.ok(scripted.length >= 4, scripted.map((s) => s.step.name).join(', '));
  });

  for (const entry of scripted)
    it(`"${entry.step.name}" fails when any of its scripts fails, and passes when they pass`, () => {
      const ok = runStep(entry, new Set());
      assert.equal(ok.status, 0, ok.stdout + ok.stderr);
      for (const script of scriptsOf(entry)) {
        const r = runStep(entry, new Set([script]));
        assert.notEqual(r.status, 0, `${script} failed, yet the step passed:\n${r.stdout}`);
        assert.match(r.stdout, new RegExp(`${script}: FAILED`));
      }
    });

  it('runs the later scripts of a step after an earlier one failed, so each one reports', () => {
    const step = scripted.find((s) => scriptsOf(s).length > 1)!;
    const [first, ...rest] = scriptsOf(step);
    const r = runStep(step, new Set([first!]));
    for (const script of rest) assert.match(r.stdout, new RegExp(`${script}: PASSED`));
  });

  it('reports status on pull requests, with permission to comment', () => {
    assert.ok('pull_request' in workflow.on);
    assert.equal(workflow.permissions?.['pull-requests'], 'write');
    const report = steps.find(({ step }) => step.uses?.startsWith('actions/github-script@'))?.step;
    assert.ok(report, 'a step reports to the pull request');
    assert.match((report as { if?: string }).if ?? '', /github\.event_name == 'pull_request'/);
  });
});
