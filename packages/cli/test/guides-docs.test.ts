// Every command example of the guides, run as written (doc-examples.ts): docs/mssp-guide.md and
// docs/operator-guide.md, each in a temporary folder of its own with its own `vigil serve`, which
// makes its own self-signed certificate in data/tls as a reader's would (not the test
// certificate): the pages say how to trust it, and the examples do so. Each block must exit 0, and
// what a block shows as refused must be refused for the reason the page gives.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOCS, DocSession } from './doc-examples.ts';

const sessions: DocSession[] = [];
after(async () => { await Promise.all(sessions.map((s) => s.close())); });

function outputOf(ran: Array<{ code: string; output: string }>, marker: string): string {
  const block = ran.find((b) => b.code.includes(marker));
  assert.ok(block !== undefined, `no example holds ${marker}`);
  return block.output;
}

describe('docs/mssp-guide.md', () => {
  test('every command example runs, in order, and the refusals are the ones the guide describes', async () => {
    const session = new DocSession({ ownCertificate: true });
    sessions.push(session);
    const page = readFileSync(join(DOCS, 'mssp-guide.md'), 'utf8');
    const ran = await session.runPage('docs/mssp-guide.md', page);
    assert.ok(ran.length >= 12, `examples found: ${ran.length}`);
    // Registration, then the three onboardings.
    assert.match(outputOf(ran, 'Microsoft.ManagedServices/register'), /^NotRegistered\nRegistered\n/m);
    assert.match(outputOf(ran, 'vigil onboard'), /Deployment lighthouse-onboarding: Succeeded/);
    assert.match(outputOf(ran, 'Microsoft.Resources/deployments/lighthouse-onboarding'), /^Succeeded$/m);
    // Eli's subscriptions: his own and the three customers', delegated.
    const subscriptions = outputOf(ran, '/subscriptions?api-version');
    for (const name of ['Fabrikam production', 'Northwind production', 'Tailspin production']) {
      assert.match(subscriptions, new RegExp(`^${name} .*managed by 22222222-2222-2222-2222-222222222222$`, 'm'), subscriptions);
    }
    // Both customers' incidents in Ana's queue, changed together.
    const queue = outputOf(ran, 'bulkUpdate');
    assert.match(queue, /High {2}1 {2}Failed logons on dc01 {2}Fabrikam/);
    assert.match(queue, /Medium {2}1 {2}Impossible travel for the CFO {2}Northwind Traders/);
    assert.match(queue, /^2 changed, 0 refused$/m);
    // One query over both customers.
    const query = outputOf(ran, "workspace('ws-northwind')");
    assert.match(query, /fab-dc01\.fabrikam\.example\s+4/);
    assert.match(query, /nw-dc01\.northwind\.example\s+4/);
    // The connector: refused through the delegation, deployed with the direct sign-in.
    const connector = outputOf(ran, 'dataConnectors/syslog-firewalls');
    assert.match(connector, /DelegatedConnectorDeploymentNotSupported/);
    assert.match(connector, /refused through the delegation/);
    assert.match(connector, /^listening on udp\/\d+$/m);
    // Just in time: refused, pending, approved, then allowed.
    const jit = outputOf(ran, 'roleAssignmentScheduleRequests');
    assert.match(jit, /AuthorizationFailed[\s\S]*refused: not active yet\nPendingApproval\nProvisioned until \S+\nSucceeded/);
    // The customer's activity log shows the MSSP's changes as delegated; the revocation ends Ana's access.
    const revoke = outputOf(ran, 'registrationAssignments/$ASSIGNMENT');
    assert.match(revoke, /resourceGroups\/write {2}Succeeded {2}lee@contososoc\.example {2}delegated/);
    assert.match(revoke, /no workspace of that name[\s\S]*vigil query exited 2/);
  });
});
