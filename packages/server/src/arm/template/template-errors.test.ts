import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ApiError } from '../../errors.ts';
import { planDeployment, TemplateError, type DeploymentContext } from './index.ts';

const FIXTURES = new URL('../../../../../../shared/fixtures/lighthouse/', import.meta.url);
const SUB = '6f1a3c2e-8d4b-4c1a-9e7f-2b5d8a0c4e91';
const CTX: DeploymentContext = { subscriptionId: SUB, deploymentName: 'd', tenantId: '0b8e5c3a-1f2d-4e6b-8a9c-7d4e2f1a3b5c', location: 'westeurope' };
const base = { $schema: 'https://schema.management.azure.com/schemas/2019-08-01/subscriptionDeploymentTemplate.json#', contentVersion: '1.0.0.0' };

function load(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(path, FIXTURES), 'utf8')) as Record<string, unknown>;
}

const lighthouseTemplate = (): Record<string, unknown> => load('delegated-resource-management/subscription/subscription.json');
const lighthouseParameters = (): Record<string, Record<string, unknown>> =>
  load('delegated-resource-management/subscription/subscription.parameters.json') as Record<string, Record<string, unknown>>;

function expectError(fn: () => unknown, code: string, target: string, ...messages: RegExp[]): TemplateError {
  let caught: unknown;
  assert.throws(fn, (error: unknown) => {
    caught = error;
    return true;
  });
  assert.ok(caught instanceof TemplateError, `expected a TemplateError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.equal(caught.target, target, caught.message);
  for (const message of messages) assert.match(caught.message, message);
  return caught;
}

function resource(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'Microsoft.Foo/bars', apiVersion: '1', name: 'r', ...extra };
}

describe('TemplateError', () => {
  it('is an ApiError the HTTP edge renders as a 400 with code and target', () => {
    const error = expectError(() => planDeployment(lighthouseTemplate(), {}, CTX), 'MissingTemplateParameter', 'parameters.mspOfferName');
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 400);
    assert.deepEqual(error.toBody().error.target, 'parameters.mspOfferName');
  });
});

describe('parameter errors', () => {
  it('a missing required parameter names it and says where to add it', () => {
    const file = lighthouseParameters();
    delete (file.parameters as Record<string, unknown>).managedByTenantId;
    const error = expectError(() => planDeployment(lighthouseTemplate(), file, CTX), 'MissingTemplateParameter', 'parameters.managedByTenantId');
    assert.equal(
      error.message,
      "Parameter 'managedByTenantId' is required by the template but was not supplied. Add it to the parameters file under parameters.managedByTenantId.value.",
    );
  });

  it('a parameter the template does not declare is rejected', () => {
    const file = lighthouseParameters();
    (file.parameters as Record<string, unknown>).rgName = { value: 'x' };
    expectError(() => planDeployment(lighthouseTemplate(), file, CTX), 'InvalidTemplateParameter', 'parameters.rgName', /does not declare it/, /Remove it from the parameters file/);
  });

  it('a Key Vault reference is rejected', () => {
    const file = lighthouseParameters();
    (file.parameters as Record<string, unknown>).managedByTenantId = { reference: { keyVault: { id: '/subscriptions/x' }, secretName: 's' } };
    expectError(() => planDeployment(lighthouseTemplate(), file, CTX), 'InvalidTemplateParameter', 'parameters.managedByTenantId', /Key Vault reference/);
  });

  it('an entry without a value is rejected', () => {
    expectError(() => planDeployment(lighthouseTemplate(), { mspOfferName: 'bare' }, CTX), 'InvalidTemplateParameter', 'parameters.mspOfferName', /'value' property/);
  });

  it('parameters that are not an object are rejected', () => {
    expectError(() => planDeployment(lighthouseTemplate(), ['x'], CTX), 'InvalidTemplateParameter', 'parameters', /must be an object/);
  });

  it('a value of the wrong type is rejected', () => {
    const file = lighthouseParameters();
    (file.parameters as Record<string, unknown>).authorizations = { value: 'not-an-array' };
    expectError(() => planDeployment(lighthouseTemplate(), file, CTX), 'InvalidTemplateParameter', 'parameters.authorizations', /must be of type Array/, /is String/, /parameters\.authorizations\.value/);
  });

  it('allowedValues, minLength, maxLength, minValue and maxValue are enforced', () => {
    const template = {
      ...base,
      parameters: {
        tier: { type: 'string', allowedValues: ['Basic', 'Standard'] },
        tags: { type: 'array', allowedValues: ['a', 'b'], defaultValue: [] },
        code: { type: 'string', minLength: 2, maxLength: 3, defaultValue: 'ab' },
        count: { type: 'int', minValue: 1, maxValue: 5, defaultValue: 1 },
      },
    };
    expectError(() => planDeployment(template, { tier: { value: 'Premium' } }, CTX), 'InvalidTemplateParameter', 'parameters.tier', /not one of the allowed values/);
    expectError(() => planDeployment(template, { tier: { value: 'Basic' }, tags: { value: ['a', 'c'] } }, CTX), 'InvalidTemplateParameter', 'parameters.tags', /"c"/);
    expectError(() => planDeployment(template, { tier: { value: 'Basic' }, code: { value: 'a' } }, CTX), 'InvalidTemplateParameter', 'parameters.code', /at least 2 \(minLength\)/);
    expectError(() => planDeployment(template, { tier: { value: 'Basic' }, code: { value: 'abcd' } }, CTX), 'InvalidTemplateParameter', 'parameters.code', /at most 3 \(maxLength\)/);
    expectError(() => planDeployment(template, { tier: { value: 'Basic' }, count: { value: 0 } }, CTX), 'InvalidTemplateParameter', 'parameters.count', /minValue/);
    expectError(() => planDeployment(template, { tier: { value: 'Basic' }, count: { value: 9 } }, CTX), 'InvalidTemplateParameter', 'parameters.count', /maxValue/);
  });

  it('a defaultValue of the wrong type points at the defaultValue', () => {
    const template = { ...base, parameters: { n: { type: 'int', defaultValue: "[concat('1')]" } } };
    expectError(() => planDeployment(template, {}, CTX), 'InvalidTemplateParameter', 'parameters.n.defaultValue', /must be of type Integer/);
  });

  it('an unknown parameter type is a template error', () => {
    expectError(() => planDeployment({ ...base, parameters: { p: { type: 'date' } } }, {}, CTX), 'InvalidTemplate', 'parameters.p.type', /unknown type "date"/);
    expectError(() => planDeployment({ ...base, parameters: { p: {} } }, {}, CTX), 'InvalidTemplate', 'parameters.p.type', /no type/);
  });

  it('an unsupported declaration property is a template error', () => {
    expectError(() => planDeployment({ ...base, parameters: { p: { type: 'object', properties: {} } } }, {}, CTX), 'InvalidTemplate', 'parameters.p.properties', /not supported/);
  });
});

describe('expression errors', () => {
  it('an unsupported function names the function and the path', () => {
    const template = { ...base, resources: [resource({ name: "[concat('r', copyIndex())]" })] };
    const error = expectError(() => planDeployment(template, {}, CTX), 'UnsupportedTemplateFunction', 'resources[0].name', /'copyIndex'/, /resources\[0\]\.name/);
    assert.match(error.message, /Rewrite the expression/);
  });

  it('a syntax error is an InvalidTemplate at the string', () => {
    const template = { ...base, resources: [resource({ properties: { a: { b: "[concat('x'" + ']' } } })] };
    expectError(() => planDeployment(template, {}, CTX), 'InvalidTemplate', 'resources[0].properties.a.b', /expected ',' or '\)'/);
  });

  it('a reference to an undeclared parameter or variable', () => {
    expectError(() => planDeployment({ ...base, resources: [resource({ name: "[parameters('nope')]" })] }, {}, CTX), 'InvalidTemplate', 'resources[0].name', /parameter 'nope'/);
    expectError(() => planDeployment({ ...base, outputs: { o: { type: 'string', value: "[variables('nope')]" } } }, {}, CTX), 'InvalidTemplate', 'outputs.o.value', /variable 'nope'/);
  });

  it('circular variables are detected, with the cycle in the message', () => {
    const template = { ...base, variables: { a: "[variables('b')]", b: "[concat(variables('a'), 'x')]" } };
    expectError(() => planDeployment(template, {}, CTX), 'InvalidTemplate', 'variables.a', /Circular reference: variables\('a'\) -> variables\('b'\) -> variables\('a'\)/);
  });

  it('circular parameter defaults are detected', () => {
    const template = { ...base, parameters: { a: { type: 'string', defaultValue: "[parameters('b')]" }, b: { type: 'string', defaultValue: "[parameters('a')]" } } };
    expectError(() => planDeployment(template, {}, CTX), 'InvalidTemplate', 'parameters.a', /Circular reference/);
  });

  it('errors in unused variables still surface', () => {
    expectError(() => planDeployment({ ...base, variables: { unused: '[bogus()]' } }, {}, CTX), 'UnsupportedTemplateFunction', 'variables.unused');
  });

  it('resourceGroup() in a subscription deployment is explained', () => {
    expectError(() => planDeployment({ ...base, resources: [resource({ name: '[resourceGroup().name]' })] }, {}, CTX), 'InvalidTemplate', 'resources[0].name', /resource group scope/);
  });
});

describe('template structure errors', () => {
  it('the template must be an object', () => {
    expectError(() => planDeployment('not a template', {}, CTX), 'InvalidTemplate', '', /must be a JSON object/);
  });

  it('unsupported and unknown top-level sections are rejected', () => {
    expectError(() => planDeployment({ ...base, functions: [] }, {}, CTX), 'InvalidTemplate', 'functions', /User-defined functions/);
    expectError(() => planDeployment({ ...base, apiProfile: '2019-03-01-hybrid' }, {}, CTX), 'InvalidTemplate', 'apiProfile', /API profiles/);
    expectError(() => planDeployment({ ...base, languageVersion: '2.0' }, {}, CTX), 'InvalidTemplate', 'languageVersion', /languageVersion/);
    expectError(() => planDeployment({ ...base, resourcez: [] }, {}, CTX), 'InvalidTemplate', 'resourcez', /not recognised/);
  });

  it('symbolic-name resources are rejected', () => {
    expectError(() => planDeployment({ ...base, resources: { def: resource() } }, {}, CTX), 'InvalidTemplate', 'resources', /symbolic resource names/);
  });

  it('copy loops are rejected, on resources and in properties', () => {
    expectError(() => planDeployment({ ...base, resources: [resource({ copy: { name: 'c', count: 2 } })] }, {}, CTX), 'InvalidTemplate', 'resources[0].copy', /copy loops/);
    expectError(
      () => planDeployment({ ...base, resources: [resource({ properties: { copy: [{ name: 'x', count: 2, input: {} }] } })] }, {}, CTX),
      'InvalidTemplate',
      'resources[0].properties.copy',
      /copy loop/,
    );
  });

  it('child resources, extension scopes and unknown resource properties are rejected', () => {
    expectError(() => planDeployment({ ...base, resources: [resource({ resources: [] })] }, {}, CTX), 'InvalidTemplate', 'resources[0].resources', /Child resources/);
    expectError(() => planDeployment({ ...base, resources: [resource({ scope: 'x' })] }, {}, CTX), 'InvalidTemplate', 'resources[0].scope', /'scope'/);
    expectError(() => planDeployment({ ...base, resources: [resource({ resourceGroup: 'x' })] }, {}, CTX), 'InvalidTemplate', 'resources[0].resourceGroup', /only valid on a Microsoft\.Resources\/deployments/);
    expectError(() => planDeployment({ ...base, resources: [resource({ propertiez: {} })] }, {}, CTX), 'InvalidTemplate', 'resources[0].propertiez', /not recognised/);
  });

  it('missing type, name and apiVersion are reported', () => {
    expectError(() => planDeployment({ ...base, resources: [{ name: 'x', apiVersion: '1' }] }, {}, CTX), 'InvalidTemplate', 'resources[0].type', /has no 'type'/);
    expectError(() => planDeployment({ ...base, resources: [{ type: 'Microsoft.Foo/bars', apiVersion: '1' }] }, {}, CTX), 'InvalidTemplate', 'resources[0].name', /has no 'name'/);
    expectError(() => planDeployment({ ...base, resources: [{ type: 'Microsoft.Foo/bars', name: 'x' }] }, {}, CTX), 'InvalidTemplate', 'resources[0].apiVersion', /has no 'apiVersion'/);
    expectError(() => planDeployment({ ...base, resources: [resource({ type: 'NoSlash' })] }, {}, CTX), 'InvalidTemplate', 'resources[0].type', /not valid/);
  });

  it('a name that does not fit the type is reported', () => {
    expectError(() => planDeployment({ ...base, resources: [resource({ type: 'Microsoft.Sql/servers/databases', name: 'db' })] }, {}, CTX), 'InvalidTemplate', 'resources[0].name', /needs 2 segments/);
  });

  it('a condition must be a Boolean', () => {
    expectError(() => planDeployment({ ...base, resources: [resource({ condition: "[concat('true')]" })] }, {}, CTX), 'InvalidTemplate', 'resources[0].condition', /must evaluate to a Boolean/);
  });

  it('duplicate resources are rejected', () => {
    expectError(() => planDeployment({ ...base, resources: [resource(), resource()] }, {}, CTX), 'InvalidTemplate', 'resources[1]', /declared more than once/);
  });

  it('an output whose value does not match its type is rejected', () => {
    expectError(() => planDeployment({ ...base, outputs: { o: { type: 'int', value: 'text' } } }, {}, CTX), 'InvalidTemplate', 'outputs.o.value', /declared as 'int'/);
    expectError(() => planDeployment({ ...base, outputs: { o: { type: 'date', value: 'text' } } }, {}, CTX), 'InvalidTemplate', 'outputs.o.type');
  });
});

describe('dependsOn errors', () => {
  it('an entry that matches no resource in the template', () => {
    const template = { ...base, resources: [resource({ name: 'a' }), resource({ name: 'b', dependsOn: ['a', 'missing'] })] };
    expectError(() => planDeployment(template, {}, CTX), 'InvalidTemplate', 'resources[1].dependsOn[1]', /'missing'.*not defined in this template/);
  });

  it('a bare name shared by two resources is ambiguous', () => {
    const template = {
      ...base,
      resources: [resource({ name: 'same' }), resource({ type: 'Microsoft.Foo/bazs', name: 'same' }), resource({ name: 'c', dependsOn: ['same'] })],
    };
    expectError(() => planDeployment(template, {}, CTX), 'InvalidTemplate', 'resources[2].dependsOn[0]', /matches more than one resource/);
  });

  it('a dependency cycle is reported with its path', () => {
    const template = { ...base, resources: [resource({ name: 'a', dependsOn: ['b'] }), resource({ name: 'b', dependsOn: ['a'] })] };
    expectError(
      () => planDeployment(template, {}, CTX),
      'InvalidTemplate',
      'resources[0].dependsOn',
      /Circular dependency: resources\[0\] \(Microsoft\.Foo\/bars 'a'\) -> resources\[1\] \(Microsoft\.Foo\/bars 'b'\) -> resources\[0\]/,
    );
  });

  it('a cycle through a nested deployment is reported', () => {
    const template = {
      ...base,
      resources: [
        resource({ name: 'a', dependsOn: ['nested'] }),
        {
          type: 'Microsoft.Resources/deployments',
          apiVersion: '2021-04-01',
          name: 'nested',
          dependsOn: ['a'],
          properties: { mode: 'Incremental', template: { resources: [resource({ name: 'inside' })] } },
        },
      ],
    };
    expectError(() => planDeployment(template, {}, CTX), 'InvalidTemplate', 'resources[0].dependsOn', /Circular dependency/);
  });
});

describe('nested deployment errors', () => {
  function deployment(properties: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { type: 'Microsoft.Resources/deployments', apiVersion: '2021-04-01', name: 'nested', properties, ...extra };
  }
  const inline = { resources: [resource()] };

  it('linked templates are not supported', () => {
    const template = { ...base, resources: [deployment({ mode: 'Incremental', templateLink: { uri: 'https://example.com/t.json' } })] };
    expectError(() => planDeployment(template, {}, CTX), 'InvalidTemplate', 'resources[0].properties.templateLink', /Linked templates/, /inline/);
  });

  it('only Incremental mode is supported, and mode is required', () => {
    expectError(() => planDeployment({ ...base, resources: [deployment({ mode: 'Complete', template: inline })] }, {}, CTX), 'InvalidTemplate', 'resources[0].properties.mode', /only 'Incremental'/);
    expectError(() => planDeployment({ ...base, resources: [deployment({ template: inline })] }, {}, CTX), 'InvalidTemplate', 'resources[0].properties.mode', /has no mode/);
  });

  it("outer scope cannot take parameters", () => {
    const template = { ...base, resources: [deployment({ mode: 'Incremental', parameters: { p: { value: 1 } }, template: inline })] };
    expectError(() => planDeployment(template, {}, CTX), 'InvalidTemplate', 'resources[0].properties.parameters', /'outer' expression scope/, /'inner'/);
  });

  it('the nested template is checked like a top-level one', () => {
    const template = { ...base, resources: [deployment({ mode: 'Incremental', template: { functions: [] } })] };
    expectError(() => planDeployment(template, {}, CTX), 'InvalidTemplate', 'resources[0].properties.template.functions', /User-defined functions/);
  });

  it('an inner nested template reports missing parameters against the deployment resource', () => {
    const template = {
      ...base,
      resources: [
        deployment({
          mode: 'Incremental',
          expressionEvaluationOptions: { scope: 'inner' },
          parameters: {},
          template: { parameters: { needed: { type: 'string' } }, resources: [] },
        }),
      ],
    };
    expectError(
      () => planDeployment(template, {}, CTX),
      'MissingTemplateParameter',
      'resources[0].properties.parameters.needed',
      /Add it to the nested deployment's parameters under resources\[0\]\.properties\.parameters\.needed\.value/,
    );
  });

  it('an inner nested template rejects parameters it does not declare', () => {
    const template = {
      ...base,
      resources: [deployment({ mode: 'Incremental', expressionEvaluationOptions: { scope: 'inner' }, parameters: { extra: { value: 1 } }, template: { resources: [] } })],
    };
    expectError(() => planDeployment(template, {}, CTX), 'InvalidTemplateParameter', 'resources[0].properties.parameters.extra', /does not declare it/);
  });

  it('a bad expression scope is rejected', () => {
    const template = { ...base, resources: [deployment({ mode: 'Incremental', expressionEvaluationOptions: { scope: 'middle' }, template: inline })] };
    expectError(() => planDeployment(template, {}, CTX), 'InvalidTemplate', 'resources[0].properties.expressionEvaluationOptions.scope', /'inner' or 'outer'/);
  });

  it('errors inside a nested template carry the full path', () => {
    const template = { ...base, resources: [deployment({ mode: 'Incremental', template: { resources: [resource({ name: '[newGuid()]' })] } })] };
    expectError(() => planDeployment(template, {}, CTX), 'UnsupportedTemplateFunction', 'resources[0].properties.template.resources[0].name', /'newGuid'/);
  });
});
