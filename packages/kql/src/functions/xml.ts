// parse_xml for simple documents: a root element whose content is text, or elements that hold
// only text (leaves), or one element holding such leaves. That covers the Windows event XML the
// Sentinel parsers read (<DataItem ...><EventData ...><Data Name="...">...</Data>...</EventData>
// </DataItem>). Kusto's conversion: attributes become "@name", text beside attributes "#text",
// an element without attributes its text (null when self-closing), and same-named siblings an
// array. Any other document (deeper nesting, mixed content, comments, CDATA, character
// references) stops the query with an error rather than giving a different value; text that is
// not XML at all is null, as in Kusto.
import { scalar } from './registry.ts';
import { distinctInOrder, text } from './sql-helpers.ts';

const NAME = String.raw`[A-Za-z_][\w.:-]*`;
/** One leaf element: name, attributes, '/' when self-closing, text. */
const LEAF = String.raw`<(${NAME})((?:\s+${NAME}\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(?:(/)>|>([^<]*)</${NAME}\s*>)`;
const LEAVES = String.raw`^\s*(?:${LEAF}\s*)*$`;
/** The root (or the wrapper of leaves): name, attributes, content, closing name. */
const ELEMENT = String.raw`(?s)^\s*<(${NAME})((?:\s+${NAME}\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*>(.*)</(${NAME})\s*>\s*$`;
const EMPTY_ELEMENT = String.raw`(?s)^\s*<(${NAME})((?:\s+${NAME}\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*/>\s*$`;

/** A SQL string literal for a pattern (quotes doubled). */
const q = (pattern: string) => `'${pattern.replace(/'/g, "''")}'`;

/** The five predefined entities (&amp; last, so that "&amp;lt;" stays "&lt;"). */
const decode = (t: string) => `replace(replace(replace(replace(replace(${t}, '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&apos;', ''''), '&amp;', '&')`;

const ATTRIBUTE = String.raw`(${NAME})\s*=\s*("[^"<]*"|'[^'<]*')`;
/** Attribute text -> parallel lists of '@name' keys and JSON string values. */
const attributeKeys = (a: string) => `list_transform(regexp_extract_all(${a}, ${q(ATTRIBUTE)}, 1), __n -> '@' || __n)`;
const attributeValues = (a: string) => `list_transform(regexp_extract_all(${a}, ${q(ATTRIBUTE)}, 2), __v -> to_json(${decode('substr(__v, 2, length(__v) - 2)')}))`;

/** A JSON object from key and value lists (keys distinct). */
const object = (keys: string, values: string) => `CAST(to_json(map(${keys}, ${values})) AS JSON)`;

/** A leaf's value: its text, null when self-closing, or an object of its attributes (and "#text"). */
function leafValue(attrs: string, selfClosing: string, body: string): string {
  const keys = attributeKeys(attrs);
  const withText = `list_concat(${keys}, CASE WHEN ${body} <> '' THEN ['#text'] ELSE []::VARCHAR[] END)`;
  const values = `list_concat(${attributeValues(attrs)}, CASE WHEN ${body} <> '' THEN [to_json(${decode(body)})] ELSE []::JSON[] END)`;
  return `(CASE WHEN len(${keys}) > 0 THEN ${object(withText, values)} WHEN ${selfClosing} = '/' THEN 'null'::JSON ELSE to_json(${decode(body)}) END)`;
}

/** Leaves grouped by name in order of appearance; a name seen more than once becomes an array. */
function leavesObject(content: string, parentAttrs: string): string {
  const all = (group: number) => `regexp_extract_all(${content}, ${q(LEAF)}, ${group})`;
  const values = `list_transform(range(1, len(${all(1)}) + 1), __i -> ${leafValue(`${all(2)}[__i]`, `${all(3)}[__i]`, `${all(4)}[__i]`)})`;
  const names = all(1);
  const grouped = `list_transform(__ns, __n -> list_transform([list_filter(list_transform(range(1, len(${names}) + 1), __j -> CASE WHEN ${names}[__j] = __n THEN __vs[__j] END), __x -> __x IS NOT NULL)], __g -> CASE WHEN len(__g) = 1 THEN __g[1] ELSE to_json(__g) END)[1])`;
  const body = object(`list_concat(${attributeKeys(parentAttrs)}, __ns)`, `list_concat(${attributeValues(parentAttrs)}, ${grouped})`);
  return `list_transform([${values}], __vs -> list_transform([${distinctInOrder(names)}], __ns -> ${body})[1])[1]`;
}

scalar('parse_xml', ([x], c) => {
  const s = `regexp_replace(${text(x!, c)}, '^\\s*<\\?xml[^>]*\\?>', '')`;
  const root = `regexp_extract(${s}, ${q(ELEMENT)}, ['name', 'attrs', 'content', 'close'])`;
  const empty = `regexp_extract(${s}, ${q(EMPTY_ELEMENT)}, ['name', 'attrs'])`;
  const wrapper = `regexp_extract(__r.content, ${q(ELEMENT)}, ['name', 'attrs', 'content', 'close'])`;
  const wrap = (name: string, value: string) => object(`[${name}]`, `[${value}]`);
  const unsupported = `error('parse_xml: only simple XML is supported here (a root holding text, leaf elements, or one element of leaf elements; no comments, CDATA or character references)')`;
  const parsed = `(CASE
    WHEN regexp_matches(__r.content, '&#') THEN ${unsupported}
    WHEN NOT regexp_matches(__r.content, '<') AND len(regexp_extract_all(__r.attrs, ${q(ATTRIBUTE)}, 1)) = 0 THEN ${wrap('__r.name', `to_json(${decode('__r.content')})`)}
    WHEN NOT regexp_matches(__r.content, '<') THEN ${wrap('__r.name', leafValue('__r.attrs', "''", '__r.content'))}
    WHEN regexp_matches(__r.content, ${q(LEAVES)}) THEN ${wrap('__r.name', leavesObject('__r.content', '__r.attrs'))}
    WHEN list_transform([${wrapper}], __w -> __w.name <> '' AND __w.name = __w.close AND regexp_matches(__w.content, ${q(LEAVES)}))[1]
      THEN list_transform([${wrapper}], __w -> ${wrap('__r.name', object(`list_concat(${attributeKeys('__r.attrs')}, [__w.name])`, `list_concat(${attributeValues('__r.attrs')}, [${leavesObject('__w.content', '__w.attrs')}])`))})[1]
    ELSE ${unsupported} END)`;
  return `(CASE WHEN ${root}.name <> '' AND ${root}.name = ${root}.close THEN list_transform([${root}], __r -> ${parsed})[1]
    WHEN ${empty}.name <> '' THEN list_transform([${empty}], __e -> ${wrap('__e.name', leafValue('__e.attrs', "'/'", "''"))})[1] END)`;
});
