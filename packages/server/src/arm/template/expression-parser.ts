// Recursive-descent parser for ARM template expressions.
//
//   expression := primary postfix*
//   primary    := STRING | INTEGER | call
//   call       := IDENT ('.' IDENT)? '(' (expression (',' expression)*)? ')'
//   postfix    := '.' IDENT | '[' expression ']'
//
// A JSON string is an expression when it starts with '[' and ends with ']';
// a leading '[[' escapes it into a literal string that starts with '['.

import { ExpressionSyntaxError, tokenize, type Token, type TokenKind } from './expression-lexer.ts';
import { TemplateError } from './template-error.ts';

export type Expression =
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'integer'; value: number; pos: number }
  | { kind: 'call'; name: string; args: Expression[]; pos: number }
  | { kind: 'property'; target: Expression; name: string; pos: number }
  | { kind: 'index'; target: Expression; index: Expression; pos: number };

export type TemplateString =
  | { kind: 'literal'; value: string }
  | { kind: 'expression'; source: string; expression: Expression };

class Parser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index += 1;
    return token;
  }

  private expect(kind: TokenKind, what: string): Token {
    const token = this.peek();
    if (token.kind !== kind) throw new ExpressionSyntaxError(`expected ${what} but found ${describe(token)}`, token.pos);
    return this.next();
  }

  parseAll(): Expression {
    if (this.peek().kind === 'end') throw new ExpressionSyntaxError('the expression is empty', this.peek().pos);
    const expression = this.parseExpression();
    const rest = this.peek();
    if (rest.kind !== 'end') throw new ExpressionSyntaxError(`unexpected ${describe(rest)} after the end of the expression`, rest.pos);
    return expression;
  }

  private parseExpression(): Expression {
    let expression = this.parsePrimary();
    for (;;) {
      const token = this.peek();
      if (token.kind === '.') {
        this.next();
        const name = this.expect('identifier', 'a property name after \'.\'');
        expression = { kind: 'property', target: expression, name: name.value as string, pos: name.pos };
      } else if (token.kind === '[') {
        this.next();
        const index = this.parseExpression();
        this.expect(']', "']'");
        expression = { kind: 'index', target: expression, index, pos: token.pos };
      } else {
        return expression;
      }
    }
  }

  private parsePrimary(): Expression {
    const token = this.next();
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.value as string, pos: token.pos };
      case 'integer':
        return { kind: 'integer', value: token.value as number, pos: token.pos };
      case 'identifier':
        return this.parseCall(token);
      default:
        throw new ExpressionSyntaxError(`expected a function call, a 'string' or an integer but found ${describe(token)}`, token.pos);
    }
  }

  private parseCall(first: Token): Expression {
    let name = first.value as string;
    if (this.peek().kind === '.') {
      // namespace.function(...) is a user-defined function call.
      this.next();
      const member = this.expect('identifier', 'a function name after the namespace');
      name = `${name}.${member.value as string}`;
    }
    if (this.peek().kind !== '(') {
      const lower = name.toLowerCase();
      const hint = lower === 'true' || lower === 'false' || lower === 'null' ? ` Write ${lower}() instead.` : '';
      throw new ExpressionSyntaxError(`'${name}' must be followed by '(' to call it.${hint}`, first.pos);
    }
    this.next();
    const args: Expression[] = [];
    if (this.peek().kind !== ')') {
      for (;;) {
        args.push(this.parseExpression());
        const separator = this.peek();
        if (separator.kind === ',') {
          this.next();
          continue;
        }
        if (separator.kind === ')') break;
        throw new ExpressionSyntaxError(`expected ',' or ')' in the arguments of ${name}() but found ${describe(separator)}`, separator.pos);
      }
    }
    this.expect(')', "')'");
    return { kind: 'call', name, args, pos: first.pos };
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the expression';
    case 'string':
      return `the string '${token.value as string}'`;
    case 'integer':
      return `the number ${token.value as number}`;
    case 'identifier':
      return `'${token.value as string}'`;
    default:
      return `'${token.kind}'`;
  }
}

/** Parses the text between the outer brackets. Throws ExpressionSyntaxError. */
export function parseExpression(source: string, offset = 0): Expression {
  return new Parser(tokenize(source, offset)).parseAll();
}

/** Whether a JSON string is an expression, an escaped literal ("[[..."), or a plain literal. */
export function classifyString(text: string): 'expression' | 'escaped' | 'literal' {
  if (text.length >= 2 && text.startsWith('[') && text.endsWith(']')) {
    return text.startsWith('[[') ? 'escaped' : 'expression';
  }
  return 'literal';
}

/**
 * Reads a JSON string from a template: a literal (with a '[[' escape removed)
 * or a parsed expression. A syntax error becomes an InvalidTemplate error at `path`.
 */
export function parseTemplateString(text: string, path: string): TemplateString {
  const kind = classifyString(text);
  if (kind === 'literal') return { kind: 'literal', value: text };
  if (kind === 'escaped') return { kind: 'literal', value: text.slice(1) };
  try {
    return { kind: 'expression', source: text, expression: parseExpression(text.slice(1, -1), 1) };
  } catch (error) {
    if (error instanceof ExpressionSyntaxError) {
      throw new TemplateError(
        'InvalidTemplate',
        `The template expression ${JSON.stringify(text)} at '${path}' is not valid: ${error.message} (character ${error.pos + 1}). ` +
          "Fix the expression; literal strings inside an expression use single quotes, with '' for a quote, and a value that should start with '[' must be written as '[['.",
        path,
      );
    }
    throw error;
  }
}
