// Errors of the KQL compiler. Every refusal carries a stable code, the span of the query it
// is about and a hint; the HTTP edge maps them to Log Analytics' error shapes.

export type KqlErrorKind =
  /** The text is not valid KQL (the parser's diagnostics). */
  | 'syntax'
  /** Valid KQL that does not type-check against the schema (unknown names, wrong arguments). */
  | 'semantic'
  /** Valid KQL that Vigil does not implement: refused, never run with a different meaning. */
  | 'unsupported'
  /** A workspace, table or function the caller may not read, or that does not exist. */
  | 'not-found';

export interface KqlDiagnostic {
  code: string;
  message: string;
  /** Offset of the first character concerned, and how many characters (0 when unknown). */
  start: number;
  length: number;
  hint?: string;
}

export class KqlError extends Error {
  override readonly name = 'KqlError';
  constructor(readonly kind: KqlErrorKind, readonly diagnostic: KqlDiagnostic, readonly others: KqlDiagnostic[] = []) {
    super(diagnostic.message);
  }

  get code(): string {
    return this.diagnostic.code;
  }

  /** Line and column (1-based) of the error in `text`, as error messages print them. */
  position(text: string): { line: number; column: number } {
    const before = text.slice(0, this.diagnostic.start).split('\n');
    return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
  }
}

/** The one path for anything not implemented: a coded error at the construct's position. */
export function unsupported(what: string, start: number, length: number, hint?: string): KqlError {
  return new KqlError('unsupported', {
    code: 'VQ001',
    message: `${what} is not supported`,
    start,
    length,
    hint: hint ?? 'Rewrite the query without it; the list of supported operators and functions is in docs/kql.md.',
  });
}
