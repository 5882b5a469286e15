import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExpressionScope } from './eval-context.ts';
import { readParameterDeclarations, readSuppliedParameters } from './parameters.ts';
import { TemplateContext } from './template-context.ts';
import { TemplateError } from './template-error.ts';

const SUB = '11111111-2222-3333-4444-555555555555';
const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

function context(options: { scope?: Partial<ExpressionScope>; parameters?: Record<string, unknown>; declared?: Record<string, unknown>; variables?: Record<string, unknown> } = {}): TemplateContext {
  return new TemplateContext({
    scope: { subscriptionId: SUB, tenantId: TENANT, deploymentName: 'deploy-1', ...options.scope },
    declarations: readParameterDeclarations(options.declared ?? {}, 'parameters'),
    source: { supplied: readSuppliedParameters(options.parameters ?? {}, 'parameters'), basePath: 'parameters', where: 'the parameters file' },
    variables: options.variables ?? {},
    variablesPath: 'variables',
  });
}

function evaluate(text: string, ctx = context()): unknown {
  return ctx.evaluate(text, 'outputs.x.value');
}

function throwsTemplateError(fn: () => unknown, code: string, target: string, message?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof TemplateError, `expected a TemplateError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.equal(error.target, target);
    if (message !== undefined) assert.match(error.message, message);
    return true;
  });
}

describe('value functions', () => {
  it('concat joins strings (converting numbers and booleans) or arrays', () => {
    assert.equal(evaluate("[concat('Managed by', ' ', 'Contoso')]"), 'Managed by Contoso');
    assert.equal(evaluate("[concat('n', 1, true())]"), 'n1True');
    assert.deepEqual(evaluate("[concat(createArray(1, 2), createArray('a'), createArray())]"), [1, 2, 'a']);
    throwsTemplateError(() => evaluate("[concat('a', createArray(1))]"), 'InvalidTemplate', 'outputs.x.value', /not a mix/);
  });

  it('string, toLower, toUpper', () => {
    assert.equal(evaluate('[string(5)]'), '5');
    assert.equal(evaluate('[string(true())]'), 'True');
    assert.equal(evaluate("[string(createObject('a', 1, 'b', createArray('x')))]"), '{"a":1,"b":["x"]}');
    assert.equal(evaluate("[toLower('MiXeD')]"), 'mixed');
    assert.equal(evaluate("[toUpper('MiXeD')]"), 'MIXED');
    throwsTemplateError(() => evaluate('[toLower(1)]'), 'InvalidTemplate', 'outputs.x.value', /argument 1 must be a String but is Integer/);
  });

  it('format fills {n} placeholders and keeps {{ }} as braces', () => {
    assert.equal(evaluate("[format('{0}-{1}-{0} {{literal}}', 'a', 2)]"), 'a-2-a {literal}');
    throwsTemplateError(() => evaluate("[format('{1}', 'a')]"), 'InvalidTemplate', 'outputs.x.value', /refers to argument 1/);
    throwsTemplateError(() => evaluate("[format('{0:N2}', 1)]"), 'InvalidTemplate', 'outputs.x.value', /not supported/);
  });

  it('if evaluates only the chosen branch', () => {
    assert.equal(evaluate("[if(true(), 'yes', parameters('undeclared'))]"), 'yes');
    assert.equal(evaluate("[if(equals(1, 2), 'yes', 'no')]"), 'no');
    throwsTemplateError(() => evaluate("[if('true', 1, 2)]"), 'InvalidTemplate', 'outputs.x.value', /must be a Boolean/);
  });

  it('equals, not, and, or, empty, length, contains', () => {
    assert.equal(evaluate("[equals(createObject('a', createArray(1)), createObject('a', createArray(1)))]"), true);
    assert.equal(evaluate("[equals('a', 'A')]"), false);
    assert.equal(evaluate('[not(false())]'), true);
    assert.equal(evaluate('[and(true(), true(), false())]'), false);
    assert.equal(evaluate('[or(false(), true())]'), true);
    assert.equal(evaluate("[empty('')]"), true);
    assert.equal(evaluate('[empty(createArray(1))]'), false);
    assert.equal(evaluate('[empty(createObject())]'), true);
    assert.equal(evaluate('[empty(null())]'), true);
    assert.equal(evaluate("[length('abc')]"), 3);
    assert.equal(evaluate("[length(createObject('a', 1, 'b', 2))]"), 2);
    assert.equal(evaluate("[contains(createArray('a', 'b'), 'b')]"), true);
    assert.equal(evaluate("[contains(createObject('Key', 1), 'key')]"), true);
    assert.equal(evaluate("[contains('OneTwo', 'Two')]"), true);
    throwsTemplateError(() => evaluate('[and(true())]'), 'InvalidTemplate', 'outputs.x.value', /at least 2 arguments/);
  });

  it('int and bool convert', () => {
    assert.equal(evaluate("[int('42')]"), 42);
    assert.equal(evaluate("[bool('TRUE')]"), true);
    assert.equal(evaluate('[bool(0)]'), false);
    throwsTemplateError(() => evaluate("[int('4x')]"), 'InvalidTemplate', 'outputs.x.value', /cannot convert/);
  });

  it('createArray, createObject and union (objects merge recursively, arrays de-duplicate)', () => {
    assert.deepEqual(evaluate("[createArray('a', 1, createObject('k', 'v'))]"), ['a', 1, { k: 'v' }]);
    assert.deepEqual(evaluate("[union(createArray(1, 2), createArray(2, 3))]"), [1, 2, 3]);
    assert.deepEqual(
      evaluate("[union(createObject('a', 1, 'n', createObject('x', 1, 'y', 1)), createObject('b', 2, 'n', createObject('y', 2)))]"),
      { a: 1, n: { x: 1, y: 2 }, b: 2 },
    );
    throwsTemplateError(() => evaluate("[createObject('a')]"), 'InvalidTemplate', 'outputs.x.value', /pairs of arguments/);
  });

  it('function names are case-insensitive', () => {
    assert.equal(evaluate("[CONCAT('a', ToLower('B'))]"), 'ab');
  });
});

describe('property and index access', () => {
  const ctx = context({
    declared: { auth: { type: 'array' }, settings: { type: 'object' } },
    parameters: { auth: { value: [{ principalId: 'p1' }, { principalId: 'p2' }] }, settings: { value: { 'odd key': { Nested: true } } } },
  });

  it('reads properties (case-insensitively) and array elements', () => {
    assert.equal(evaluate("[parameters('auth')[1].principalId]", ctx), 'p2');
    assert.equal(evaluate("[parameters('auth')[0].PRINCIPALID]", ctx), 'p1');
    assert.equal(evaluate("[parameters('settings')['odd key'].nested]", ctx), true);
  });

  it('reports missing properties and out-of-range indexes', () => {
    throwsTemplateError(() => evaluate("[parameters('auth')[2]]", ctx), 'InvalidTemplate', 'outputs.x.value', /index 2 is out of range/);
    throwsTemplateError(() => evaluate("[parameters('auth')[0].missing]", ctx), 'InvalidTemplate', 'outputs.x.value', /'missing' doesn't exist; available properties are 'principalId'/);
    throwsTemplateError(() => evaluate("[parameters('auth').length]", ctx), 'InvalidTemplate', 'outputs.x.value', /of type Array/);
  });
});

describe('deployment functions', () => {
  it('subscription() describes the target subscription', () => {
    assert.deepEqual(evaluate('[subscription()]'), { id: `/subscriptions/${SUB}`, subscriptionId: SUB, tenantId: TENANT, displayName: SUB });
    assert.equal(evaluate('[subscription().displayName]', context({ scope: { subscriptionDisplayName: 'Prod' } })), 'Prod');
  });

  it('resourceGroup() works only at resource group scope', () => {
    const rg = context({ scope: { resourceGroup: 'rg-1', resourceGroupLocation: 'westeurope' } });
    assert.deepEqual(evaluate('[resourceGroup()]', rg), {
      id: `/subscriptions/${SUB}/resourceGroups/rg-1`,
      name: 'rg-1',
      type: 'Microsoft.Resources/resourceGroups',
      location: 'westeurope',
      properties: { provisioningState: 'Succeeded' },
    });
    throwsTemplateError(() => evaluate('[resourceGroup().id]'), 'InvalidTemplate', 'outputs.x.value', /only available in a deployment at resource group scope/);
  });

  it('deployment() gives the deployment name (and location when known)', () => {
    assert.deepEqual(evaluate('[deployment()]'), { name: 'deploy-1' });
    assert.deepEqual(evaluate('[deployment()]', context({ scope: { location: 'eastus' } })), { name: 'deploy-1', location: 'eastus' });
  });

  it('resourceId() at subscription scope gives a subscription-level id', () => {
    assert.equal(
      evaluate("[resourceId('Microsoft.ManagedServices/registrationDefinitions/', 'abc')]"),
      `/subscriptions/${SUB}/providers/Microsoft.ManagedServices/registrationDefinitions/abc`,
    );
  });

  it('resourceId() at resource group scope, with explicit resource group and subscription, and for child types', () => {
    const rg = context({ scope: { resourceGroup: 'rg-1' } });
    assert.equal(evaluate("[resourceId('Microsoft.Storage/storageAccounts', 'st1')]", rg), `/subscriptions/${SUB}/resourceGroups/rg-1/providers/Microsoft.Storage/storageAccounts/st1`);
    assert.equal(evaluate("[resourceId('other-rg', 'Microsoft.Storage/storageAccounts', 'st1')]", rg), `/subscriptions/${SUB}/resourceGroups/other-rg/providers/Microsoft.Storage/storageAccounts/st1`);
    assert.equal(
      evaluate("[resourceId('99999999-0000-0000-0000-000000000000', 'other-rg', 'Microsoft.Sql/servers/databases', 'srv', 'db')]", rg),
      '/subscriptions/99999999-0000-0000-0000-000000000000/resourceGroups/other-rg/providers/Microsoft.Sql/servers/srv/databases/db',
    );
    assert.equal(evaluate("[resourceId('Microsoft.Sql/servers/databases', 'srv/db')]", rg), `/subscriptions/${SUB}/resourceGroups/rg-1/providers/Microsoft.Sql/servers/srv/databases/db`);
    throwsTemplateError(() => evaluate("[resourceId('Microsoft.Sql/servers/databases', 'srv')]", rg), 'InvalidTemplate', 'outputs.x.value', /needs 2 segments/);
    throwsTemplateError(() => evaluate("[resourceId('noType', 'x')]", rg), 'InvalidTemplate', 'outputs.x.value', /no resource type/);
  });

  it('subscriptionResourceId() always gives a subscription-level id', () => {
    const rg = context({ scope: { resourceGroup: 'rg-1' } });
    assert.equal(
      evaluate("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'acdd72a7-3385-48ef-bd42-f606fba81ae7')]", rg),
      `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`,
    );
    assert.equal(evaluate("[subscriptionResourceId('99999999-0000-0000-0000-000000000000', 'Microsoft.Foo/bars', 'b')]", rg), '/subscriptions/99999999-0000-0000-0000-000000000000/providers/Microsoft.Foo/bars/b');
  });

  it('guid() and uniqueString() take strings only', () => {
    assert.equal(evaluate("[guid('Relecloud Managed Services')]"), 'a284898a-fc04-581d-aca0-047861d06160');
    assert.equal(evaluate("[uniqueString('/subscriptions/00000000-0000-0000-0000-000000000000', 'resource-id')]"), 'cwvxuqg24sifi');
    throwsTemplateError(() => evaluate('[guid(1)]'), 'InvalidTemplate', 'outputs.x.value', /must be a String/);
    throwsTemplateError(() => evaluate('[guid()]'), 'InvalidTemplate', 'outputs.x.value', /at least 1 argument/);
  });

  it('parameters() and variables() are case-insensitive and variables evaluate lazily', () => {
    const ctx = context({
      declared: { OfferName: { type: 'string' } },
      parameters: { offername: { value: 'Contoso' } },
      variables: { second: "[concat(variables('FIRST'), '!')]", first: "[toUpper(parameters('offerName'))]" },
    });
    assert.equal(evaluate("[variables('Second')]", ctx), 'CONTOSO!');
  });

  it('anything else is an UnsupportedTemplateFunction naming the function and the path', () => {
    throwsTemplateError(() => evaluate("[reference('x')]"), 'UnsupportedTemplateFunction', 'outputs.x.value', /'reference'.*not supported/);
    throwsTemplateError(() => evaluate("[contoso.name('x')]"), 'UnsupportedTemplateFunction', 'outputs.x.value', /user-defined template functions/);
  });
});
