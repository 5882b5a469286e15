import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalId, parseScope, scopeChain, scopeContains } from './resource-id.ts';
import { ApiError } from '../errors.ts';

const SUB = '00000000-0000-0000-0000-00000000AAAA';

test('canonicalId lower-cases and collapses slashes', () => {
  assert.equal(canonicalId(`//subscriptions/${SUB}//resourceGroups/RG/`), `/subscriptions/${SUB.toLowerCase()}/resourcegroups/rg`);
});

test('parseScope splits subscription, resource group and provider path', () => {
  const p = parseScope(`/subscriptions/${SUB}/resourceGroups/rg-SOC/providers/Microsoft.OperationalInsights/workspaces/ws1`);
  assert.equal(p.subscriptionId, SUB.toLowerCase());
  assert.equal(p.resourceGroup, 'rg-SOC');
  assert.deepEqual(p.providerPath, ['Microsoft.OperationalInsights', 'workspaces', 'ws1']);
});

test('parseScope rejects ids that are not under a GUID subscription, saying why', () => {
  assert.throws(() => parseScope('/tenants/x'), (e: unknown) => e instanceof ApiError && e.code === 'InvalidResourceId' && /under a subscription/.test(e.message));
  assert.throws(() => parseScope('/subscriptions/not-a-guid'), (e: unknown) => e instanceof ApiError && /GUID/.test(e.message));
  assert.throws(() => parseScope(`/subscriptions/${SUB}/foo/bar`), (e: unknown) => e instanceof ApiError && /'foo'/.test(e.message));
});

test('scopeChain lists every scope from the subscription down, including extension resources', () => {
  const id = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/ws/providers/Microsoft.SecurityInsights/incidents/i1/comments/c1`;
  const s = `/subscriptions/${SUB.toLowerCase()}`;
  assert.deepEqual(scopeChain(id), [
    s,
    `${s}/resourcegroups/rg`,
    `${s}/resourcegroups/rg/providers/microsoft.operationalinsights/workspaces/ws`,
    `${s}/resourcegroups/rg/providers/microsoft.operationalinsights/workspaces/ws/providers/microsoft.securityinsights/incidents/i1`,
    `${s}/resourcegroups/rg/providers/microsoft.operationalinsights/workspaces/ws/providers/microsoft.securityinsights/incidents/i1/comments/c1`,
  ]);
});

test('scopeContains does not confuse a resource group with a longer name sharing its prefix', () => {
  const s = `/subscriptions/${SUB}`;
  assert.equal(scopeContains(`${s}/resourceGroups/rg`, `${s}/resourcegroups/RG/providers/x/y/z`), true);
  assert.equal(scopeContains(`${s}/resourceGroups/rg`, `${s}/resourcegroups/rg2`), false);
});
