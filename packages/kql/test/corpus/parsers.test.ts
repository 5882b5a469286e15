// The parser loader on a small tree: the names each parser is registered under.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadParsers } from './parsers.ts';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'vigil-parsers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const HEADER = (alias: string) => `// Paste below query in log analytics, click on Save button and select as Function from drop down by specifying function name and alias (e.g. ${alias}).\n`;

test('a solution\'s text parser is also registered under its file name, as the solution deploys it', (t) => {
  const root = tree({
    'Solutions/SlackAudit/Parsers/SlackAudit.txt': `${HEADER('Slack_Audit')}SlackAudit_CL | extend A = 1`,
    // Outside a solution the header's alias is the only one (saved by hand under it).
    'Parsers/Zoom/Zoom_parser.txt': `${HEADER('ZoomData')}Zoom_CL`,
    // A file name that is no identifier is no alias.
    'Solutions/Sysmon/Parsers/Sysmon-v1.txt': `${HEADER('SysmonEvents')}Event`,
    // A file name another parser has as its own name stays that parser's.
    'Solutions/Other/Parsers/Taken.txt': `${HEADER('Other')}Other_CL`,
    'Solutions/Taken/Parsers/TakenParser.txt': `${HEADER('Taken')}Taken_CL`,
  });
  t.after(() => rmSync(root, { recursive: true }));
  const { parsers, functions } = loadParsers(root);
  const aliases = Object.fromEntries(parsers.map((p) => [p.name, p.aliases]));
  assert.deepEqual(aliases, { ZoomData: [], Other: ['Taken'], SysmonEvents: [], Slack_Audit: ['SlackAudit'], Taken: ['TakenParser'] });
  const bodies = Object.fromEntries(functions.map((f) => [f.name, f.body]));
  assert.equal(bodies['SlackAudit'], bodies['Slack_Audit']);
  assert.match(bodies['Taken']!, /Taken_CL$/);
  assert.equal(functions.filter((f) => f.name === 'Taken').length, 1);
  assert.equal(bodies['TakenParser'], bodies['Taken']);
});

test('two files giving one name: the first is kept, the other reported, its file name not registered', (t) => {
  const root = tree({
    'Solutions/A/Parsers/Cylance.txt': `${HEADER('CylancePROTECT')}Syslog`,
    'Solutions/A/Parsers/Cylance-old.txt': `${HEADER('CylancePROTECT')}Syslog | take 1`,
    'Solutions/B/Parsers/CylanceCopy.txt': `${HEADER('CylancePROTECT')}Syslog | take 2`,
  });
  t.after(() => rmSync(root, { recursive: true }));
  const { parsers, skipped, functions } = loadParsers(root);
  assert.deepEqual(parsers.map((p) => p.path), ['Solutions/A/Parsers/Cylance.txt']);
  assert.deepEqual(skipped.map((s) => s.path).sort(), ['Solutions/A/Parsers/Cylance-old.txt', 'Solutions/B/Parsers/CylanceCopy.txt']);
  assert.deepEqual(functions.map((f) => f.name).sort(), ['Cylance', 'CylancePROTECT']);
});
