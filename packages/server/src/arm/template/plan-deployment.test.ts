import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { planDeployment, type DeploymentContext } from './index.ts';

const FIXTURES = new URL('../../../../../../shared/fixtures/lighthouse/', import.meta.url);

function fixture(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(path, FIXTURES), 'utf8')) as Record<string, unknown>;
}

const SUB = '6f1a3c2e-8d4b-4c1a-9e7f-2b5d8a0c4e91';
const CUSTOMER_TENANT = '0b8e5c3a-1f2d-4e6b-8a9c-7d4e2f1a3b5c';
const MANAGING_TENANT = 'c7d2e9f4-3a1b-4c8d-9e2f-5a6b7c8d9e0f';
const PRINCIPALS = ['3e1f8a2b-7c4d-4e9f-a1b2-c3d4e5f6a7b8', '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', 'f0e1d2c3-b4a5-4968-8776-a5b4c3d2e1f0'];
const OFFER_GUID = 'a284898a-fc04-581d-aca0-047861d06160'; // guid('Relecloud Managed Services'), cross-checked with Python uuid5

/** The Microsoft parameter file with its placeholders replaced by real GUIDs. */
function realParameters(path: string): Record<string, unknown> {
  const file = fixture(path);
  const parameters = file.parameters as Record<string, { value: unknown }>;
  (parameters.managedByTenantId as { value: unknown }).value = MANAGING_TENANT;
  let next = 0;
  for (const key of ['authorizations', 'eligibleAuthorizations']) {
    const entries = parameters[key]?.value as { principalId: string }[] | undefined;
    for (const entry of entries ?? []) entry.principalId = PRINCIPALS[next++ % PRINCIPALS.length] as string;
  }
  return file;
}

const CTX: DeploymentContext = { subscriptionId: SUB, deploymentName: 'lighthouse-onboarding', tenantId: CUSTOMER_TENANT, location: 'westeurope' };
const DEF_ID = `/subscriptions/${SUB}/providers/Microsoft.ManagedServices/registrationDefinitions/${OFFER_GUID}`;

const AUTHORIZATIONS = [
  { principalId: PRINCIPALS[0], roleDefinitionId: 'acdd72a7-3385-48ef-bd42-f606fba81ae7', principalIdDisplayName: 'PIM_Group' },
  { principalId: PRINCIPALS[1], roleDefinitionId: '91c1777a-f3dc-4fae-b103-61d183457e46', principalIdDisplayName: 'PIM_Group' },
  {
    principalId: PRINCIPALS[2],
    principalIdDisplayName: 'PIM_Group',
    roleDefinitionId: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
    delegatedRoleDefinitionIds: ['b24988ac-6180-42a0-ab88-20f7382dd24c', '92aaf0da-9dab-42b6-94a3-d43ce8d16293'],
  },
];

describe('delegated-resource-management/subscription', () => {
  const plan = planDeployment(
    fixture('delegated-resource-management/subscription/subscription.json'),
    realParameters('delegated-resource-management/subscription/subscription.parameters.json'),
    CTX,
  );

  it('plans the registration definition, then the assignment that depends on it', () => {
    assert.deepEqual(
      plan.resources.map((r) => [r.type, r.templatePath]),
      [
        ['Microsoft.ManagedServices/registrationDefinitions', 'resources[0]'],
        ['Microsoft.ManagedServices/registrationAssignments', 'resources[1]'],
      ],
    );
    const [definition, assignment] = plan.resources;
    assert.deepEqual(definition, {
      type: 'Microsoft.ManagedServices/registrationDefinitions',
      apiVersion: '2019-09-01',
      name: OFFER_GUID,
      subscriptionId: SUB,
      id: DEF_ID,
      properties: {
        registrationDefinitionName: 'Relecloud Managed Services',
        description: 'Relecloud Managed Services',
        managedByTenantId: MANAGING_TENANT,
        authorizations: AUTHORIZATIONS,
      },
      dependsOn: [],
      templatePath: 'resources[0]',
    });
    assert.deepEqual(assignment, {
      type: 'Microsoft.ManagedServices/registrationAssignments',
      apiVersion: '2019-09-01',
      name: OFFER_GUID,
      subscriptionId: SUB,
      id: `/subscriptions/${SUB}/providers/Microsoft.ManagedServices/registrationAssignments/${OFFER_GUID}`,
      properties: { registrationDefinitionId: DEF_ID },
      dependsOn: [DEF_ID],
      templatePath: 'resources[1]',
    });
    assert.deepEqual(plan.nestedDeployments, []);
  });

  it('evaluates the outputs', () => {
    assert.deepEqual(plan.outputs, {
      mspOfferName: { type: 'string', value: 'Managed by Relecloud Managed Services' },
      authorizations: { type: 'array', value: AUTHORIZATIONS },
    });
  });

  it('accepts the bare {name: {value}} parameters object as well as the whole file', () => {
    const body = realParameters('delegated-resource-management/subscription/subscription.parameters.json').parameters;
    const again = planDeployment(fixture('delegated-resource-management/subscription/subscription.json'), body, CTX);
    assert.deepEqual(again, plan);
  });

  it('does not share objects between properties and outputs', () => {
    const definition = plan.resources[0]?.properties as { authorizations: unknown };
    assert.notEqual(definition.authorizations, plan.outputs.authorizations?.value);
  });
});

describe('delegated-resource-management/rg', () => {
  const plan = planDeployment(fixture('delegated-resource-management/rg/rg.json'), realParameters('delegated-resource-management/rg/rg.parameters.json'), CTX);

  it('plans the definition at subscription scope and the assignment in the resource group', () => {
    assert.equal(plan.resources.length, 2);
    const [definition, assignment] = plan.resources;
    assert.equal(definition?.id, DEF_ID);
    assert.equal(definition?.apiVersion, '2019-06-01');
    assert.equal(definition?.resourceGroup, undefined);
    assert.deepEqual(definition?.properties, {
      registrationDefinitionName: 'Relecloud Managed Services',
      description: 'Relecloud Managed Services',
      managedByTenantId: MANAGING_TENANT,
      authorizations: AUTHORIZATIONS,
    });
    assert.deepEqual(assignment, {
      type: 'Microsoft.ManagedServices/registrationAssignments',
      apiVersion: '2019-06-01',
      name: OFFER_GUID,
      subscriptionId: SUB,
      resourceGroup: 'test',
      id: `/subscriptions/${SUB}/resourceGroups/test/providers/Microsoft.ManagedServices/registrationAssignments/${OFFER_GUID}`,
      // Outer expression scope: resourceId() is evaluated in the parent (subscription) context.
      properties: { registrationDefinitionId: DEF_ID },
      // Inherited from the nested deployment's dependsOn.
      dependsOn: [DEF_ID],
      templatePath: 'resources[1].properties.template.resources[0]',
      nestedDeployment: 'rgAssignment',
    });
  });

  it('records the nested deployment', () => {
    assert.deepEqual(plan.nestedDeployments, [
      {
        name: 'rgAssignment',
        id: `/subscriptions/${SUB}/resourceGroups/test/providers/Microsoft.Resources/deployments/rgAssignment`,
        subscriptionId: SUB,
        resourceGroup: 'test',
        templatePath: 'resources[1]',
        outputs: {},
      },
    ]);
  });

  it('evaluates the outputs', () => {
    assert.deepEqual(plan.outputs, {
      mspOfferName: { type: 'string', value: 'Managed by Relecloud Managed Services' },
      authorizations: { type: 'array', value: AUTHORIZATIONS },
    });
  });

  it('follows the rgName parameter', () => {
    const parameters = realParameters('delegated-resource-management/rg/rg.parameters.json');
    ((parameters.parameters as Record<string, { value: unknown }>).rgName as { value: unknown }).value = 'customer-workloads';
    const other = planDeployment(fixture('delegated-resource-management/rg/rg.json'), parameters, CTX);
    assert.equal(other.resources[1]?.id, `/subscriptions/${SUB}/resourceGroups/customer-workloads/providers/Microsoft.ManagedServices/registrationAssignments/${OFFER_GUID}`);
    assert.equal(other.resources[1]?.resourceGroup, 'customer-workloads');
  });
});

describe('delegated-resource-management-eligible-authorizations/subscription', () => {
  const plan = planDeployment(
    fixture('delegated-resource-management-eligible-authorizations/subscription/subscription.json'),
    realParameters('delegated-resource-management-eligible-authorizations/subscription/subscription.parameters.json'),
    CTX,
  );
  const authorizations = [
    { principalId: PRINCIPALS[0], roleDefinitionId: 'acdd72a7-3385-48ef-bd42-f606fba81ae7', principalIdDisplayName: 'PIM_Group' },
    { principalId: PRINCIPALS[1], roleDefinitionId: '91c1777a-f3dc-4fae-b103-61d183457e46', principalIdDisplayName: 'PIM_Group' },
  ];
  const eligibleAuthorizations = [
    {
      justInTimeAccessPolicy: { multiFactorAuthProvider: 'Azure', maximumActivationDuration: 'PT8H' },
      principalId: PRINCIPALS[2],
      principalIdDisplayName: 'PIM_Group',
      roleDefinitionId: '36243c78-bf99-498c-9df9-86d9f8d28608',
    },
  ];

  it('plans the definition with eligible authorizations, then the assignment', () => {
    const [definition, assignment] = plan.resources;
    assert.equal(definition?.apiVersion, '2020-02-01-preview');
    assert.equal(definition?.name, OFFER_GUID);
    assert.equal(definition?.id, DEF_ID);
    assert.deepEqual(definition?.properties, {
      registrationDefinitionName: 'Relecloud Managed Services',
      description: 'Relecloud Managed Services',
      managedByTenantId: MANAGING_TENANT,
      authorizations,
      eligibleAuthorizations,
    });
    assert.equal(assignment?.id, `/subscriptions/${SUB}/providers/Microsoft.ManagedServices/registrationAssignments/${OFFER_GUID}`);
    assert.deepEqual(assignment?.properties, { registrationDefinitionId: DEF_ID });
    assert.deepEqual(assignment?.dependsOn, [DEF_ID]);
  });

  it('evaluates the outputs', () => {
    assert.deepEqual(plan.outputs, {
      mspOfferName: { type: 'string', value: 'Managed by Relecloud Managed Services' },
      authorizations: { type: 'array', value: authorizations },
      eligibleAuthorizations: { type: 'array', value: eligibleAuthorizations },
    });
  });
});

describe('templates beyond the fixtures', () => {
  const base = { $schema: 'https://schema.management.azure.com/schemas/2019-08-01/subscriptionDeploymentTemplate.json#', contentVersion: '1.0.0.0' };

  it('orders resources by dependsOn (names, type/name and ids) and keeps template order otherwise', () => {
    const template = {
      ...base,
      resources: [
        { type: 'Microsoft.Foo/bars', apiVersion: '1', name: 'c', dependsOn: ['b'] },
        { type: 'Microsoft.Foo/bars', apiVersion: '1', name: 'b', dependsOn: ["[resourceId('Microsoft.Foo/bars', 'a')]"] },
        { type: 'Microsoft.Foo/bars', apiVersion: '1', name: 'a' },
        { type: 'Microsoft.Foo/bazs', apiVersion: '1', name: 'z' },
        { type: 'Microsoft.Foo/bazs', apiVersion: '1', name: 'y', dependsOn: ['Microsoft.Foo/bazs/z'] },
      ],
    };
    const plan = planDeployment(template, {}, CTX);
    assert.deepEqual(plan.resources.map((r) => r.name), ['a', 'b', 'c', 'z', 'y']);
    assert.deepEqual(plan.resources[2]?.dependsOn, [`/subscriptions/${SUB}/providers/Microsoft.Foo/bars/b`]);
  });

  it('deploys into the context resource group when there is one', () => {
    const plan = planDeployment({ ...base, resources: [{ type: 'Microsoft.Foo/bars', apiVersion: '1', name: "[concat('n-', resourceGroup().name)]", location: 'westeurope' }] }, undefined, {
      ...CTX,
      resourceGroup: 'rg-a',
    });
    assert.deepEqual(plan.resources[0], {
      type: 'Microsoft.Foo/bars',
      apiVersion: '1',
      name: 'n-rg-a',
      subscriptionId: SUB,
      resourceGroup: 'rg-a',
      id: `/subscriptions/${SUB}/resourceGroups/rg-a/providers/Microsoft.Foo/bars/n-rg-a`,
      properties: {},
      location: 'westeurope',
      dependsOn: [],
      templatePath: 'resources[0]',
    });
  });

  it('skips resources whose condition is false and drops them from dependsOn', () => {
    const template = {
      ...base,
      parameters: { withExtra: { type: 'bool', defaultValue: false } },
      resources: [
        { condition: "[parameters('withExtra')]", type: 'Microsoft.Foo/bars', apiVersion: '1', name: 'extra', properties: { v: "[parameters('notDeclared')]" } },
        { type: 'Microsoft.Foo/bars', apiVersion: '1', name: 'main', dependsOn: ['extra'] },
      ],
    };
    const plan = planDeployment(template, {}, CTX);
    assert.deepEqual(plan.resources.map((r) => [r.name, r.dependsOn]), [['main', []]]);
  });

  it('evaluates defaultValue expressions and parameters that refer to other parameters', () => {
    const template = {
      ...base,
      parameters: {
        prefix: { type: 'string', defaultValue: 'ctso' },
        name: { type: 'string', defaultValue: "[concat(parameters('prefix'), '-', uniqueString(subscription().id))]" },
        size: { type: 'int', defaultValue: 3, minValue: 1, maxValue: 5 },
        tier: { type: 'string', defaultValue: 'Standard', allowedValues: ['Basic', 'Standard'] },
      },
      outputs: {
        name: { type: 'string', value: "[parameters('name')]" },
        size: { type: 'int', value: "[parameters('size')]" },
        tier: { type: 'string', value: "[parameters('tier')]" },
        skipped: { condition: '[false()]', type: 'string', value: "[parameters('missing')]" },
        escaped: { type: 'string', value: '[[literal]' },
      },
    };
    const plan = planDeployment(template, { prefix: { value: 'fab' } }, CTX);
    assert.match(plan.outputs.name?.value as string, /^fab-[a-z2-7]{13}$/);
    assert.deepEqual(plan.outputs.size, { type: 'int', value: 3 });
    assert.deepEqual(plan.outputs.tier, { type: 'string', value: 'Standard' });
    assert.equal(plan.outputs.skipped, undefined);
    assert.deepEqual(plan.outputs.escaped, { type: 'string', value: '[literal]' });
  });

  it("gives an 'inner' nested deployment its own parameters, variables and scope", () => {
    const template = {
      ...base,
      parameters: { offer: { type: 'string' } },
      resources: [
        { type: 'Microsoft.Foo/bars', apiVersion: '1', name: 'first' },
        {
          type: 'Microsoft.Resources/deployments',
          apiVersion: '2021-04-01',
          name: 'inner-deployment',
          resourceGroup: 'rg-inner',
          dependsOn: ['first'],
          properties: {
            mode: 'Incremental',
            expressionEvaluationOptions: { scope: 'inner' },
            parameters: { offerName: { value: "[toUpper(parameters('offer'))]" } },
            template: {
              $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
              contentVersion: '1.0.0.0',
              parameters: { offerName: { type: 'string' }, suffix: { type: 'string', defaultValue: '[resourceGroup().name]' } },
              variables: { full: "[concat(parameters('offerName'), '-', parameters('suffix'))]" },
              resources: [
                { type: 'Microsoft.Foo/things', apiVersion: '1', name: "[variables('full')]", properties: { deployment: '[deployment().name]', rgId: '[resourceGroup().id]' } },
                { type: 'Microsoft.Foo/things', apiVersion: '1', name: 'second', dependsOn: ["[resourceId('Microsoft.Foo/things', variables('full'))]"] },
              ],
              outputs: { full: { type: 'string', value: "[variables('full')]" } },
            },
          },
        },
        { type: 'Microsoft.Foo/bars', apiVersion: '1', name: 'last', dependsOn: ['inner-deployment'] },
      ],
    };
    const plan = planDeployment(template, { offer: { value: 'contoso' } }, CTX);
    const rgPrefix = `/subscriptions/${SUB}/resourceGroups/rg-inner`;
    assert.deepEqual(
      plan.resources.map((r) => [r.name, r.resourceGroup ?? null, r.dependsOn]),
      [
        ['first', null, []],
        ['CONTOSO-rg-inner', 'rg-inner', [`/subscriptions/${SUB}/providers/Microsoft.Foo/bars/first`]],
        ['second', 'rg-inner', [`${rgPrefix}/providers/Microsoft.Foo/things/CONTOSO-rg-inner`, `/subscriptions/${SUB}/providers/Microsoft.Foo/bars/first`]],
        ['last', null, [`${rgPrefix}/providers/Microsoft.Foo/things/CONTOSO-rg-inner`, `${rgPrefix}/providers/Microsoft.Foo/things/second`]],
      ],
    );
    assert.deepEqual(plan.resources[1]?.properties, { deployment: 'inner-deployment', rgId: rgPrefix });
    assert.deepEqual(plan.nestedDeployments[0]?.outputs, { full: { type: 'string', value: 'CONTOSO-rg-inner' } });
  });

  it('deploys a nested deployment into another subscription and resource group', () => {
    const other = '99999999-8888-7777-6666-555555555555';
    const template = {
      ...base,
      resources: [
        {
          type: 'Microsoft.Resources/deployments',
          apiVersion: '2021-04-01',
          name: 'cross',
          subscriptionId: other,
          resourceGroup: 'rg-x',
          properties: {
            mode: 'Incremental',
            expressionEvaluationOptions: { scope: 'inner' },
            template: { resources: [{ type: 'Microsoft.Foo/bars', apiVersion: '1', name: '[subscription().subscriptionId]' }] },
          },
        },
        {
          type: 'Microsoft.Resources/deployments',
          apiVersion: '2021-04-01',
          name: 'sub-only',
          subscriptionId: other,
          properties: { mode: 'Incremental', template: { resources: [{ type: 'Microsoft.Foo/bars', apiVersion: '1', name: 'at-sub' }] } },
        },
      ],
    };
    const plan = planDeployment(template, {}, { ...CTX, resourceGroup: 'rg-parent' });
    assert.deepEqual(
      plan.resources.map((r) => r.id),
      [`/subscriptions/${other}/resourceGroups/rg-x/providers/Microsoft.Foo/bars/${other}`, `/subscriptions/${other}/providers/Microsoft.Foo/bars/at-sub`],
    );
    assert.deepEqual(
      plan.nestedDeployments.map((d) => [d.name, d.subscriptionId, d.resourceGroup ?? null]),
      [
        ['cross', other, 'rg-x'],
        ['sub-only', other, null],
      ],
    );
  });

  it('orders a resource after a nested deployment it depends on, even when declared first', () => {
    const template = {
      ...base,
      resources: [
        { type: 'Microsoft.Foo/bars', apiVersion: '1', name: 'after', dependsOn: ['nested'] },
        {
          type: 'Microsoft.Resources/deployments',
          apiVersion: '2021-04-01',
          name: 'nested',
          properties: { mode: 'Incremental', template: { resources: [{ type: 'Microsoft.Foo/bars', apiVersion: '1', name: 'inside' }] } },
        },
      ],
    };
    const plan = planDeployment(template, {}, CTX);
    assert.deepEqual(plan.resources.map((r) => r.name), ['inside', 'after']);
    assert.equal(plan.nestedDeployments[0]?.resourceGroup, undefined);
    assert.equal(plan.nestedDeployments[0]?.id, `/subscriptions/${SUB}/providers/Microsoft.Resources/deployments/nested`);
  });
});
