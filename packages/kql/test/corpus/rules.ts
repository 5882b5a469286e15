// The corpus's analytics rules (rules.jsonl: one JSON object per rule, as the YAML files hold them).
import { readFileSync } from 'node:fs';

export interface CorpusRule {
  id: string;
  name: string;
  path: string;
  kind: string;
  queryFrequency: string | null;
  queryPeriod: string | null;
  query: string;
}

export function loadRules(file: string): CorpusRule[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((line) => {
    const r = JSON.parse(line) as Record<string, unknown>;
    return {
      id: String(r['id'] ?? ''), name: String(r['name'] ?? ''), path: String(r['path'] ?? ''), kind: String(r['kind'] ?? ''),
      queryFrequency: (r['queryFrequency'] as string | null) ?? null, queryPeriod: (r['queryPeriod'] as string | null) ?? null,
      query: String(r['query'] ?? ''),
    };
  });
}
