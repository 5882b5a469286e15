// URLs and paths taken apart: parse_url, parse_urlquery, parse_path. Each part is read by one
// regular expression with named groups, and the result is assembled as a bag in Kusto's key order.
import { scalar, type SqlContext } from './registry.ts';
import { distinctInOrder, text } from './sql-helpers.ts';

/** scheme://[user[:password]@]host[:port][/path][?query][#fragment] */
const URL_PATTERN = String.raw`^([A-Za-z][A-Za-z0-9+.\-]*)://(?:([^:@/?#]*)(?::([^@/?#]*))?@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$`;
const URL_PARTS = ['scheme', 'user', 'password', 'host', 'port', 'path', 'query', 'fragment'];

/** `a=1&b=2` -> {"a":"1","b":"2"} (a key given twice keeps its first value). */
function queryBag(query: string): string {
  const pairs = `list_filter(string_split(${query}, '&'), __q -> __q <> '')`;
  const key = (q: string) => `split_part(${q}, '=', 1)`;
  const value = (q: string) => `CASE WHEN strpos(${q}, '=') > 0 THEN substr(${q}, strpos(${q}, '=') + 1) ELSE '' END`;
  const keys = distinctInOrder(`list_transform(${pairs}, __q -> ${key('__q')})`);
  const values = `list_transform(__ks, __k -> to_json(${value(`list_filter(${pairs}, __q -> ${key('__q')} = __k)[1]`)}))`;
  return `CAST(to_json(list_transform([${keys}], __ks -> map(__ks, ${values}))[1]) AS JSON)`;
}

scalar(['parse_url', 'parseurl'], ([x], c) => {
  const m = `regexp_extract(${text(x!, c)}, ${c.str(URL_PATTERN)}, [${URL_PARTS.map((p) => `'${p}'`).join(', ')}])`;
  const host = `regexp_replace(${m}.host, '^\\[(.*)\\]$', '\\1')`;
  return `json_object('Scheme', ${m}.scheme, 'Host', ${host}, 'Port', ${m}.port, 'Path', ${m}.path, 'Username', ${m}.user, 'Password', ${m}.password, 'Query Parameters', ${queryBag(`${m}.query`)}, 'Fragment', ${m}.fragment)`;
});

/** parse_urlquery(query): the query part alone (a leading '?' allowed). */
scalar(['parse_urlquery', 'parseurlquery'], ([x], c) => `json_object('Query Parameters', ${queryBag(`regexp_replace(${text(x!, c)}, '^\\?', '')`)})`);

/**
 * parse_path(path): Windows, UNC, Unix and file:// paths. The file name is what follows the last
 * separator; an alternate data stream is what follows a ':' in it.
 */
scalar('parse_path', ([x], c: SqlContext) => {
  const p = text(x!, c);
  const scheme = `regexp_extract(${p}, '^([A-Za-z][A-Za-z0-9+.\\-]+)://', 1)`;
  const rest = `regexp_replace(${p}, '^[A-Za-z][A-Za-z0-9+.\\-]+://', '')`;
  const parts = `regexp_extract(${rest}, '^(.*)[\\\\/]([^\\\\/]*)$', ['dir', 'name'])`;
  const hasDir = `regexp_matches(${rest}, '[\\\\/]')`;
  const dir = `CASE WHEN ${hasDir} THEN ${parts}.dir ELSE '' END`;
  const file = `CASE WHEN ${hasDir} THEN ${parts}.name ELSE ${rest} END`;
  const name = `split_part(${file}, ':', 1)`;
  const stream = `CASE WHEN strpos(${file}, ':') > 0 THEN substr(${file}, strpos(${file}, ':') + 1) ELSE '' END`;
  return `json_object('Scheme', ${scheme}, 'RootPath', regexp_extract(${rest}, '^([A-Za-z]:)', 1), 'DirectoryPath', ${dir}, 'DirectoryName', regexp_extract(${dir}, '([^\\\\/]*)$', 1), 'Filename', ${name}, 'Extension', regexp_extract(${name}, '\\.([^.]*)$', 1), 'AlternateDataStreamName', ${stream})`;
});
