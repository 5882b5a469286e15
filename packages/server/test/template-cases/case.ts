// The shape of a rule template's test case: rows that must raise an alert, and rows that look
// alike but must not. Each row says when it happened as `ago`, minutes before the end of the
// window the test runs the rule over; the test turns that into TimeGenerated.

export type CaseRow = { ago: number } & Record<string, unknown>;
/** Rows per table. */
export type CaseRows = Record<string, CaseRow[]>;

export interface TemplateCase {
  /** The template's id. */
  template: string;
  malicious: CaseRows;
  /** A value one of the alerts' entities must carry (the account, host or address at fault). */
  entity: string;
  /** The severity the alert must have, when the template sets it from the results. */
  severity?: string;
  benign: CaseRows;
}

/** `n` rows made by `make(i)`. */
export function times(n: number, make: (i: number) => CaseRow): CaseRow[] {
  return Array.from({ length: n }, (_, i) => make(i));
}

export const MINUTES_PER_DAY = 24 * 60;
