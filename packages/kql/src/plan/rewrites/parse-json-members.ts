// Rewrite: members of parse_json(text) are read from the text. parse_json validates the whole
// text (a full parse) and every member access parses the result again; a member read from the
// text needs only that second parse, after a validity check that builds no document. The same
// in Kusto terms: text that is not JSON is a dynamic string, and a string has no members (null).
//
// Two shapes:
//   - in one expression, parse_json(s).a.b becomes dyn_path_of_text(s, '$.a.b');
//   - `extend d = parse_json(s)` whose d the operators above (where, sort, take, sample,
//     serialize, then one project or summarize) use only as d.path: the extend keeps the text
//     under the name d (a string), and each d.path becomes dyn_path_of_text(d, path). The
//     members tostring reads are read by the extend, all paths of one d in one parse, into
//     hidden columns (__t0...) that tostring then only formats.
// Any other use of d (tostring(d), d[i], d passed on, an operator not listed) leaves it as it is.
// Runs after column pruning, which removes the pass-through of d that nobody reads.
import type { KqlColumn } from '../../types.ts';
import { call, col, lit, type Named, type Relation, type Scalar } from '../nodes.ts';
import { chainBelow, mapDeep, mapOwn, rebuild, scalarsOf, usedOtherwise } from './consumers.ts';
import { mapRelation, mapScalars } from './walk.ts';

const PARSERS = new Set(['parse_json', 'parsejson', 'todynamic', 'toobject']);

/** The text a scalar parses (parse_json(s) of a string s), if it is one. */
function parsedText(s: Scalar): Scalar | undefined {
  if (s.kind !== 'call' || !PARSERS.has(s.fn) || s.args.length !== 1) return undefined;
  return s.args[0]!.type === 'string' ? s.args[0] : undefined;
}

/** A member access with a literal path: dyn_path(doc, '$...'). */
function memberPath(s: Scalar): Scalar | undefined {
  if (s.kind !== 'call' || s.fn !== 'dyn_path') return undefined;
  const path = s.args[1];
  // '$' alone would be the whole value (a non-JSON text's string): only paths with a step.
  return path?.kind === 'literal' && typeof path.value === 'string' && path.value.length > 1 ? path : undefined;
}

/** parse_json(s).path -> dyn_path_of_text(s, path). */
function inExpression(s: Scalar): Scalar {
  const path = memberPath(s);
  const text = path !== undefined && s.kind === 'call' ? parsedText(s.args[0]!) : undefined;
  if (path === undefined || text === undefined) return s;
  return { kind: 'call', fn: 'dyn_path_of_text', args: [text, path], type: s.type };
}

/** Whether column `name` occurs in `s` other than as the document of a member access with a literal path. */
const usedWhole = (s: Scalar, name: string) => usedOtherwise(s, name, (c) => memberPath(c) !== undefined && c.args[0]?.kind === 'column' && c.args[0].name === name);

/** tostring(dyn_path_of_text(column, path)): the column's name and the path. */
function tostringOfMember(s: Scalar): { doc: string; path: string } | undefined {
  if (s.kind !== 'call' || s.fn !== 'tostring' || s.args.length !== 1) return undefined;
  const m = s.args[0]!;
  if (m.kind !== 'call' || m.fn !== 'dyn_path_of_text' || m.args[0]?.kind !== 'column' || m.args[1]?.kind !== 'literal') return undefined;
  return { doc: m.args[0].name, path: String(m.args[1].value) };
}

/**
 * For a project or summarize: the `extend d = parse_json(s)` below it, through operators that
 * pass every column on (where, sort, take, sample, serialize), whose d they all use only as d.path.
 */
function fromText(consumer: Relation): Relation {
  const found = chainBelow(consumer);
  if (found === undefined || found.below.kind !== 'project') return consumer;
  const { chain } = found;
  const below = found.below;
  const users = [consumer, ...chain].flatMap(scalarsOf);
  const texts = new Map(below.exprs.filter((e) => parsedText(e.expr) !== undefined && !users.some((s) => usedWhole(s, e.name))).map((e) => [e.name, parsedText(e.expr)!]));
  if (texts.size === 0) return consumer;

  // d.path -> dyn_path_of_text(d, path), d now the text.
  const members = (x: Scalar): Scalar => {
    if (x.kind !== 'call' || memberPath(x) === undefined) return x;
    const [doc, path] = x.args;
    if (doc?.kind !== 'column' || !texts.has(doc.name)) return x;
    return { ...x, fn: 'dyn_path_of_text', args: [{ ...doc, type: 'string' }, path!] };
  };
  let above = [consumer, ...chain].map((r) => mapOwn(r, (s) => mapDeep(s, members)));

  // tostring(d.path): the member's text is read below, with every other path of the same d
  // tostring reads, in one parse (json_extract_string of a list of paths); tostring then only
  // formats it (reals), and passes the text on as dyn_path_of_text's third argument.
  const paths = new Map<string, string[]>();
  for (const s of above.flatMap(scalarsOf)) {
    mapDeep(s, (x) => {
      const m = tostringOfMember(x);
      if (m !== undefined) {
        const list = paths.get(m.doc) ?? [];
        if (!list.includes(m.path)) list.push(m.path);
        paths.set(m.doc, list);
      }
      return x;
    });
  }
  const taken = new Set(below.columns.map((c) => c.name));
  const hidden = new Map<string, string>();
  const extracted: Named[] = [];
  for (const [doc, list] of paths) {
    for (const path of list) {
      let n = extracted.length;
      while (taken.has(`__t${n}`)) n++;
      const name = `__t${n}`;
      taken.add(name);
      hidden.set(`${doc}\n${path}`, name);
      extracted.push({ name, expr: call('dyn_path_string_of_text', 'string', texts.get(doc)!, lit(path, 'string'), lit(JSON.stringify(list), 'string')) });
    }
  }
  if (extracted.length > 0) {
    above = above.map((r) => mapOwn(r, (s) => mapDeep(s, (x) => {
      const m = tostringOfMember(x);
      const name = m !== undefined ? hidden.get(`${m.doc}\n${m.path}`) : undefined;
      if (name === undefined || x.kind !== 'call') return x;
      const member = x.args[0] as Scalar & { kind: 'call' };
      return { ...x, args: [{ ...member, args: [...member.args, col(name, 'string')] }] };
    })));
  }

  const newColumns: KqlColumn[] = extracted.map((e) => ({ name: e.name, type: 'string' }));
  const retype = <R extends Relation>(r: R): R => ({
    ...r,
    columns: [...r.columns.map((c) => (texts.has(c.name) ? { ...c, type: 'string' as const } : c)), ...newColumns],
  });
  const [top, ...between] = above;
  return rebuild(top!, between.map(retype), retype({
    ...below,
    exprs: [...below.exprs.map((e) => (texts.has(e.name) ? { ...e, expr: texts.get(e.name)! } : e)), ...extracted],
  }));
}

export function parseJsonMembers(plan: Relation): Relation {
  return mapRelation(plan, (r) => fromText(mapScalars(r, (s) => mapDeep(s, inExpression))));
}
