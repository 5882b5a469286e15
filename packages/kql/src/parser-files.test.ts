import { test } from 'node:test';
import assert from 'node:assert/strict';
import { functionParametersText, functionsOf, keepOnePerName, readParserFile, type ParserFunction } from './parser-files.ts';
import { parseFunctionParameters } from '../../server/src/query/function-parameters.ts';

const ok = (r: ReturnType<typeof readParserFile>): ParserFunction => {
  assert.ok('def' in r, `expected a parser, got: ${'reason' in r ? r.reason : ''}`);
  return r;
};

test('an ASIM YAML: name, built-in twin, category, typed parameters with defaults and a table', () => {
  const p = ok(readParserFile('Parsers/ASimDns/Parsers/ASimDnsX.yaml', [
    'Parser:', '  Title: X', 'ParserName: ASimDnsX', 'EquivalentBuiltInParser: _ASim_Dns_X', 'Category: Microsoft Sentinel Parser',
    'ParserParams:', '  - Name: starttime', '    Type: datetime', '    Default: datetime(null)',
    '  - Name: domain_has_any', '    Type: dynamic', '    Default: dynamic([])',
    '  - Name: eventtype', '    Type: string', '    Default: Query',
    '  - Name: disabled', '    Type: bool', '    Default: false',
    '  - Name: "T:(Name:string, Count:long)"', '    Type: table',
    'ParserQuery: |', '  let x = 1;', '  DnsEvents | where starttime == datetime(null) or TimeGenerated >= starttime;', '',
  ].join('\n')));
  assert.equal(p.name, 'ASimDnsX');
  assert.deepEqual(p.aliases, ['_ASim_Dns_X']);
  assert.equal(p.category, 'Microsoft Sentinel Parser');
  assert.equal(p.def.body, 'let x = 1;\nDnsEvents | where starttime == datetime(null) or TimeGenerated >= starttime', 'trailing semicolon and space are not part of a saved body');
  const text = functionParametersText(p.def.parameters);
  assert.equal(text, "starttime:datetime = datetime(null), domain_has_any:dynamic = dynamic([]), eventtype:string = 'Query', disabled:bool = false, T:(Name:string, Count:long)");
  assert.deepEqual(parseFunctionParameters(text), p.def.parameters, 'the saved-searches API reads back what is written');
});

test('text parsers: the alias from the header, else the file name; a solution\'s file name too; a lone lambda', () => {
  const header = ok(readParserFile('Solutions/Slack/Parsers/SlackAudit.txt', '// Usage: save as function (e.g. Slack_Audit | take 10)\nSlackAudit_CL | extend a = 1;\n'));
  assert.equal(header.name, 'Slack_Audit');
  assert.deepEqual(header.aliases, ['SlackAudit'], 'the solution deploys it under the file name');
  assert.equal(header.aliasFrom, 'header');
  const named = ok(readParserFile('Parsers/Okta.kql', 'Okta_CL | project x'));
  assert.deepEqual([named.name, named.aliases, named.aliasFrom], ['Okta', [], 'file name']);
  const lambda = ok(readParserFile('Solutions/X/Parsers/DeviceFromIp.txt', '// a comment\nlet DeviceFromIp = (ip:string, since:timespan = 1d) {\n  DeviceNetworkInfo | where IPAddress == ip\n};\n'));
  assert.equal(lambda.aliasFrom, 'lambda');
  assert.equal(lambda.def.body, 'DeviceNetworkInfo | where IPAddress == ip');
  assert.equal(functionParametersText(lambda.def.parameters), 'ip:string, since:timespan = 1d');
});

test('what is not a parser is said so, and one function per name with current copies first', () => {
  assert.match((readParserFile('ASIM/dev/Parser YAML templates/T.yaml', 'ParserName: <name>\nParserQuery: x') as { reason: string }).reason, /template/);
  assert.match((readParserFile('Parsers/x.yaml', 'ParserName: X\n') as { reason: string }).reason, /no ParserQuery/);
  assert.match((readParserFile('README.md', '# x') as { reason: string }).reason, /not a parser file/);
  assert.match((readParserFile('Parsers/bad.yaml', 'a: [') as { reason: string }).reason, /unreadable/);
  assert.match((readParserFile('Parsers/My parser.txt', 'T') as { reason: string }).reason, /no alias/);
  const old = ok(readParserFile('Parsers/V1/Dup.kql', 'T | take 1'));
  const current = ok(readParserFile('Parsers/Dup.kql', 'T | take 2'));
  const { kept, skipped } = keepOnePerName([old, current]);
  assert.deepEqual(kept.map((p) => p.path), ['Parsers/Dup.kql']);
  assert.deepEqual(skipped, [{ path: 'Parsers/V1/Dup.kql', reason: 'duplicate alias Dup (kept Parsers/Dup.kql)' }]);
  const twin = ok(readParserFile('a.yaml', 'ParserName: A\nEquivalentBuiltInParser: _A\nParserQuery: T'));
  assert.deepEqual(functionsOf([twin, current]).map((f) => f.name), ['A', 'Dup', '_A']);
});
