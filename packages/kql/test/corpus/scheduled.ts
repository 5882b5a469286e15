// The corpus's rules as Vigil's analytics rules: each YAML file imported through ruleFromYaml (the
// import path and the rule model's checks), then run as the scheduler runs it: its query over one
// window [now - queryPeriod, now] (NRT: the last minute), and checkRuleColumns on the compiled
// result columns, as a rule is checked when it is saved.
import { readFileSync } from 'node:fs';
import type { KqlColumn } from '../../src/index.ts';
import { ApiError } from '../../../server/src/errors.ts';
import { checkRuleColumns } from '../../../server/src/detect/rule-columns.ts';
import { ruleWindows } from '../../../server/src/detect/rule-model.ts';
import { ruleFromYaml, type ImportedRule } from '../../../server/src/detect/rule-yaml.ts';
import type { Failure } from './run.ts';

/** Why a rule is not counted as scheduled: at which step, and the reason in a form that groups alike ones. */
export interface ScheduleFailure {
  id: string;
  name: string;
  path: string;
  stage: 'import' | 'compile' | 'execute' | 'columns';
  /** Grouping key: the import's or column check's message, or the query failure's cause. */
  reason: string;
  message: string;
}

/** What a run of the rule's query gave (the corpus's runOne). */
export interface QueryRun {
  compiled: boolean;
  executed: boolean;
  columns?: KqlColumn[];
  failure?: Failure;
}

export interface ScheduledOutcome {
  imported: boolean;
  scheduled: boolean;
  failure?: ScheduleFailure;
}

const messageOf = (error: unknown): string => (error instanceof ApiError && error.details.length > 0 ? error.details.map((d) => d.message).join('; ') : error instanceof Error ? error.message : String(error));
/** The first problem of an error, for grouping. */
const firstOf = (error: unknown): string => (error instanceof ApiError && error.details.length > 0 ? error.details[0]!.message : messageOf(error));

/** The grouping key of a message: quoted names and positions taken out. */
function reasonOf(message: string): string {
  return message.replace(/^[^:]*\.yaml:\d+:\d+: /, '').replace(/'[^'\s]*'/g, "'…'").replace(/\{\{[^}]*\}\}/g, '{{…}}').replace(/\[\d+\]/g, '[i]').replace(/ \(names are case-sensitive[^)]*\)/, '').slice(0, 160);
}

/**
 * Imports `file` (the rule's YAML) and, when it imports, runs it as scheduled: `run` is asked for
 * the query over `periodMs`, and may hand back the corpus's own run when that was the same.
 */
export async function scheduleRule(
  who: { id: string; name: string; path: string },
  file: string,
  run: (query: string, periodMs: number) => Promise<QueryRun>,
  /** Whether the rule reads a custom table, whose columns here come from samples or usage, not from its connector. */
  readsCustomTable = false,
): Promise<ScheduledOutcome> {
  let rule: ImportedRule;
  try {
    rule = ruleFromYaml(readFileSync(file, 'utf8'), who.path);
  } catch (error) {
    const message = messageOf(error);
    return { imported: false, scheduled: false, failure: { ...who, stage: 'import', reason: `import: ${reasonOf(firstOf(error))}`, message } };
  }
  const outcome = await run(rule.definition.properties.query, ruleWindows(rule.definition).periodMs);
  if (!outcome.executed) {
    const f = outcome.failure;
    const stage = outcome.compiled ? 'execute' : 'compile';
    return { imported: true, scheduled: false, failure: { ...who, stage, reason: `${stage}: ${f?.cause ?? 'not run'}`, message: f === undefined ? 'not run (compile only)' : `${f.code}: ${f.message.split('\n')[0]}` } };
  }
  try {
    checkRuleColumns(rule.definition, outcome.columns ?? []);
  } catch (error) {
    const message = messageOf(error);
    return { imported: true, scheduled: false, failure: { ...who, stage: 'columns', reason: `columns${readsCustomTable ? ' (reads a custom table: the corpus knows its columns from samples or usage only)' : ''}: ${reasonOf(firstOf(error).replace(/^properties\.[^:]*: /, ''))}`, message } };
  }
  return { imported: true, scheduled: true };
}
