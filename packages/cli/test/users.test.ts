// `vigil users` as an operator runs it, on the data directory of a running server: a user
// added to the SOC's tier-1 group signs in at once and queries a customer through the
// group's Lighthouse delegation; a new password replaces the old; a removed user can no longer
// sign in. Bad inputs: unknown directory, duplicate sign-in name, short password, a guest's
// password, an unknown group, a data directory that is not one.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, WORLD, type TestServer } from '../../server/test/harness.ts';
import { vigil } from './cli-process.ts';

let t: TestServer;
let tmp: string;
const data = () => ['--data-dir', t.dataDir];
const signIn = async (upn: string, password: string) => {
  const res = await fetch(`${t.url}/contososoc.example/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'password', username: upn, password, scope: `${t.url}/.default` }) });
  return res.status;
};
const queryAs = (upn: string, password: string) => vigil(['query', 'print answer = 42', '-w', WORLD.fabrikam.workspace, '--format', 'csv', '--tenant', 'contososoc.example', '--username', upn, '--password', password, '--url', t.url]);

before(async () => {
  t = await startTestServer();
  tmp = mkdtempSync(join(tmpdir(), 'vigil-users-'));
});
after(async () => {
  await t.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('vigil users adds, lists, re-passwords and removes a user beside the running server, which honours each change at once', async () => {
  const added = await vigil(['users', 'add', 'carol@contososoc.example', '--display-name', 'Carol (tier-1 analyst)', '--group', 'SOC Tier 1', '--password-stdin', ...data()], { input: 'Carol-Passw0rd!\n' });
  assert.equal(added.status, 0, added.stderr);
  assert.match(added.stdout, /^Added carol@contososoc\.example \(Carol \(tier-1 analyst\), id [0-9a-f-]{36}\) to Contoso SOC, in SOC Tier 1\.\n$/);
  // Through the tier-1 group's delegation, Carol queries Fabrikam's workspace.
  const first = await queryAs('carol@contososoc.example', 'Carol-Passw0rd!');
  assert.equal(first.status, 0, first.stderr);
  assert.equal(first.stdout, 'answer\r\n42\r\n');

  const list = await vigil(['users', 'list', '--directory', 'contososoc.example', '--json', ...data()]);
  assert.equal(list.status, 0, list.stderr);
  const listed = JSON.parse(list.stdout) as { directory: { displayName: string }; users: { userPrincipalName: string; groups: string[]; guestOf?: string }[] };
  assert.equal(listed.directory.displayName, 'Contoso SOC');
  assert.deepEqual(listed.users.map((u) => u.userPrincipalName), ['ana@contososoc.example', 'carol@contososoc.example', 'eli@contososoc.example', 'lee@contososoc.example']);
  assert.deepEqual(listed.users.find((u) => u.userPrincipalName.startsWith('carol'))!.groups, ['SOC Tier 1']);
  const fabrikam = await vigil(['users', 'list', '--directory', WORLD.fabrikam.tenant, ...data()]);
  assert.match(fabrikam.stdout, /^Fabrikam \(fabrikam\.example, 11111111-1111-1111-1111-111111111111\): 2 users\n/);
  assert.match(fabrikam.stdout, /eli@contososoc\.example\s+Eli \(SOC engineer\)\s+guest from Contoso SOC/);

  const reset = await vigil(['users', 'set-password', 'carol@contososoc.example', '--password-stdin', ...data()], { input: 'Another-Passw0rd!\n' });
  assert.equal(reset.status, 0, reset.stderr);
  assert.equal(await signIn('carol@contososoc.example', 'Carol-Passw0rd!'), 400, 'the old password is refused');
  assert.equal(await signIn('carol@contososoc.example', 'Another-Passw0rd!'), 200);

  const left = await vigil(['users', 'leave', 'carol@contososoc.example', 'SOC Tier 1', ...data()]);
  assert.equal(left.status, 0, left.stderr);
  const noAccess = await queryAs('carol@contososoc.example', 'Another-Passw0rd!');
  assert.equal(noAccess.status, 2, 'out of the group, Fabrikam is out of reach');
  assert.match(noAccess.stderr, /no workspace of that name in the directories you reach/);
  const joined = await vigil(['users', 'join', 'carol@contososoc.example', 'soc tier 1', ...data()]);
  assert.equal(joined.status, 0, joined.stderr);
  assert.equal((await queryAs('carol@contososoc.example', 'Another-Passw0rd!')).status, 0);

  const removed = await vigil(['users', 'remove', 'carol@contososoc.example', ...data()]);
  assert.equal(removed.status, 0, removed.stderr);
  assert.equal(removed.stdout, 'Removed carol@contososoc.example from Contoso SOC, with 0 role assignments, 1 group membership.\n');
  assert.equal(await signIn('carol@contososoc.example', 'Another-Passw0rd!'), 400, 'a removed user cannot sign in');
});

test('vigil users refuses bad input with what to do instead (exit 2)', async () => {
  const cases: [string[], RegExp, string?][] = [
    [['users', 'add', 'ana@contososoc.example', '--password', 'Whatever-123'], /ana@contososoc\.example already exists in Contoso SOC \(contososoc\.example\)\. Use vigil users set-password/],
    [['users', 'add', 'zed@nowhere.example', '--password', 'Whatever-123'], /zed@nowhere\.example: no directory has the domain 'nowhere\.example'; give the directory with --directory\. Directories: contososoc\.example \(Contoso SOC\), fabrikam\.example \(Fabrikam\), northwind\.example \(Northwind Traders\)\./],
    [['users', 'list', '--directory', 'contoso.example'], /--directory contoso\.example: no directory has that id or domain/],
    [['users', 'add', 'zed@contososoc.example', '--password-stdin'], /The password is too short: it must be at least 8 characters\./, 'short\n'],
    [['users', 'add', 'zed@contososoc.example'], /Give the password with --password-stdin/],
    [['users', 'add', 'not-a-name', '--password', 'Whatever-123'], /'not-a-name' is not a sign-in name/],
    [['users', 'add', 'zed@contososoc.example', '--password', 'Whatever-123', '--group', 'Auditors'], /Contoso SOC has no group 'Auditors'\. Its groups: SOC Engineers, SOC Leads, SOC Tier 1\./],
    [['users', 'set-password', 'eli@contososoc.example', '--directory', 'fabrikam.example', '--password', 'Whatever-123'], /eli@contososoc\.example is a guest in Fabrikam and signs in with the password of their home account: set it there \(--directory contososoc\.example\)/],
    [['users', 'remove', 'nobody@fabrikam.example'], /nobody@fabrikam\.example is not a user of Fabrikam \(fabrikam\.example\)\. vigil users list --directory fabrikam\.example lists them\./],
  ];
  for (const [args, pattern, input] of cases) {
    const res = await vigil([...args, ...data()], input === undefined ? {} : { input });
    assert.equal(res.status, 2, `${args.join(' ')}: ${res.stderr}`);
    assert.match(res.stderr, pattern);
  }
  const notData = await vigil(['users', 'list', '--data-dir', join(tmp, 'empty')]);
  assert.equal(notData.status, 2);
  assert.match(notData.stderr, /empty is not a Vigil data directory \(it has no control\.sqlite\)/);
  // Nothing was added by the refused commands.
  const list = await vigil(['users', 'list', '--directory', 'contososoc.example', '--json', ...data()]);
  assert.ok(!list.stdout.includes('zed@'), list.stdout);
});
