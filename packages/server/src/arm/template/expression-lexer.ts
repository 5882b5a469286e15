// Tokenizer for the inside of an ARM template expression ("[ ... ]").
// Tokens: identifiers, single-quoted strings ('' is an escaped quote),
// integers (optionally negative), and the punctuation ( ) , . [ ].

export type TokenKind = 'identifier' | 'string' | 'integer' | '(' | ')' | ',' | '.' | '[' | ']' | 'end';

export interface Token {
  kind: TokenKind;
  /** The decoded value: identifier name, string contents, or the integer. */
  value: string | number;
  /** Zero-based offset of the token in the source text. */
  pos: number;
}

export class ExpressionSyntaxError extends Error {
  readonly pos: number;
  constructor(message: string, pos: number) {
    super(message);
    this.name = 'ExpressionSyntaxError';
    this.pos = pos;
  }
}

const PUNCTUATION = new Set(['(', ')', ',', '.', '[', ']']);

function isIdentifierStart(ch: string): boolean {
  return /[A-Za-z_$]/.test(ch);
}

function isIdentifierPart(ch: string): boolean {
  return /[A-Za-z0-9_$]/.test(ch);
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

/** Splits `source` into tokens. `offset` is added to every position (for messages about the whole string). */
export function tokenize(source: string, offset = 0): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    if (PUNCTUATION.has(ch)) {
      tokens.push({ kind: ch as TokenKind, value: ch, pos: offset + i });
      i += 1;
      continue;
    }
    if (ch === "'") {
      const start = i;
      let text = '';
      i += 1;
      for (;;) {
        if (i >= source.length) throw new ExpressionSyntaxError('the string literal is not closed (missing \')', offset + start);
        const c = source[i] as string;
        if (c === "'") {
          if (source[i + 1] === "'") {
            text += "'";
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        text += c;
        i += 1;
      }
      tokens.push({ kind: 'string', value: text, pos: offset + start });
      continue;
    }
    if (isDigit(ch) || (ch === '-' && isDigit(source[i + 1]))) {
      const start = i;
      i += 1;
      while (isDigit(source[i])) i += 1;
      if (source[i] === '.' && isDigit(source[i + 1])) {
        throw new ExpressionSyntaxError('only integer literals are supported (use json(\'1.5\') for other numbers)', offset + start);
      }
      const value = Number(source.slice(start, i));
      if (!Number.isSafeInteger(value)) throw new ExpressionSyntaxError('the integer literal is out of range', offset + start);
      tokens.push({ kind: 'integer', value, pos: offset + start });
      continue;
    }
    if (isIdentifierStart(ch)) {
      const start = i;
      while (i < source.length && isIdentifierPart(source[i] as string)) i += 1;
      tokens.push({ kind: 'identifier', value: source.slice(start, i), pos: offset + start });
      continue;
    }
    if (ch === '"') throw new ExpressionSyntaxError('string literals use single quotes (\'like this\'), not double quotes', offset + i);
    throw new ExpressionSyntaxError(`unexpected character '${ch}'`, offset + i);
  }
  tokens.push({ kind: 'end', value: '', pos: offset + source.length });
  return tokens;
}
