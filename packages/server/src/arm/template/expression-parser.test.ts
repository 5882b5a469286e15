import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyString, parseExpression, parseTemplateString, type Expression } from './expression-parser.ts';
import { TemplateError } from './template-error.ts';

/** A compact rendering of the AST, to compare shapes without positions. */
function show(expression: Expression): string {
  switch (expression.kind) {
    case 'string':
      return JSON.stringify(expression.value);
    case 'integer':
      return String(expression.value);
    case 'call':
      return `${expression.name}(${expression.args.map(show).join(', ')})`;
    case 'property':
      return `${show(expression.target)}.${expression.name}`;
    case 'index':
      return `${show(expression.target)}[${show(expression.index)}]`;
  }
}

function parse(text: string): string {
  const parsed = parseTemplateString(text, 'x');
  return parsed.kind === 'literal' ? `literal:${parsed.value}` : show(parsed.expression);
}

describe('classifying template strings', () => {
  it('treats [...] as an expression, [[...] as an escaped literal, and anything else as a literal', () => {
    assert.equal(classifyString("[parameters('a')]"), 'expression');
    assert.equal(classifyString('[[not an expression]'), 'escaped');
    assert.equal(classifyString('plain'), 'literal');
    assert.equal(classifyString('[no closing bracket'), 'literal');
    assert.equal(classifyString('no opening bracket]'), 'literal');
    assert.equal(classifyString('['), 'literal');
    assert.equal(classifyString(' [leading space]'), 'literal');
  });

  it("drops one '[' from an escaped literal", () => {
    assert.equal(parse('[[concat()]'), 'literal:[concat()]');
    assert.equal(parse('[[[x]'), 'literal:[[x]');
    assert.equal(parse('just text'), 'literal:just text');
  });
});

describe('parsing expressions', () => {
  it('parses string literals with the doubled-quote escape', () => {
    assert.equal(parse("[concat('it''s', '''quoted''', '')]"), `concat("it's", "'quoted'", "")`);
  });

  it("keeps brackets and commas inside string literals", () => {
    assert.equal(parse("[concat('a]', '[b,c]')]"), 'concat("a]", "[b,c]")');
  });

  it('parses integers, including negative ones', () => {
    assert.equal(parse('[createArray(1, -20, 0)]'), 'createArray(1, -20, 0)');
  });

  it('parses nested calls and empty argument lists', () => {
    assert.equal(
      parse("[guid(subscription().id, concat('a', toLower(parameters('b'))))]"),
      'guid(subscription().id, concat("a", toLower(parameters("b"))))',
    );
    assert.equal(parse('[true()]'), 'true()');
  });

  it('parses property access and indexing after calls, chained', () => {
    assert.equal(parse("[parameters('auth')[0].principalId]"), 'parameters("auth")[0].principalId');
    assert.equal(parse("[variables('o')['key with space'].inner[add(1)]]"), 'variables("o")["key with space"].inner[add(1)]');
    assert.equal(parse('[subscription().tenantId]'), 'subscription().tenantId');
  });

  it('ignores whitespace between tokens', () => {
    assert.equal(parse("[  concat ( 'a' ,\n 'b' )  ]"), 'concat("a", "b")');
  });

  it('parses namespace.function() as one (user-defined) call name', () => {
    assert.equal(parse("[contoso.uniqueName('x')]"), 'contoso.uniqueName("x")');
  });

  it('records positions for error messages', () => {
    const expression = parseExpression("concat('a', 'b')");
    assert.equal(expression.kind, 'call');
    assert.equal(expression.pos, 0);
  });
});

describe('expression syntax errors', () => {
  const cases: [string, RegExp][] = [
    ['[]', /the expression is empty/],
    ["[concat('a']", /expected ',' or '\)'/],
    ["[concat('a)]", /string literal is not closed/],
    ['[concat("a")]', /single quotes/],
    ["[concat('a') 'b']", /unexpected the string 'b' after the end/],
    ['[true]', /Write true\(\) instead/],
    ["[parameters('a').]", /expected a property name/],
    ["[parameters('a')[0]", /expected '\]'/],
    ['[concat(1.5)]', /only integer literals/],
    ['[concat(#)]', /unexpected character '#'/],
    ["[concat('a',)]", /expected a function call, a 'string' or an integer but found '\)'/],
  ];
  for (const [text, message] of cases) {
    it(`rejects ${text}`, () => {
      assert.throws(
        () => parseTemplateString(text, 'resources[0].name'),
        (error: unknown) =>
          error instanceof TemplateError &&
          error.code === 'InvalidTemplate' &&
          error.target === 'resources[0].name' &&
          message.test(error.message) &&
          error.message.includes("at 'resources[0].name'"),
      );
    });
  }
});
