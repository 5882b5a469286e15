// Dynamic (JSON) values: member access, arrays and bags.
import { scalar } from './registry.ts';

/** d.a.b / d["a"][0]: the plan passes the JSON path as a literal ('$."a"[0]'). */
scalar('dyn_path', ([d, path]) => `json_extract(${d!.sql}, ${path!.sql})`);
scalar('dyn_index', ([d, i]) => (i!.type === 'string' ? `json_extract(${d!.sql}, '$.' || to_json(${i!.sql})::VARCHAR)` : `json_extract(${d!.sql}, '$[' || CAST(${i!.sql} AS VARCHAR) || ']')`));
scalar('array_length', ([d]) => `CASE WHEN json_type(${d!.sql}) = 'ARRAY' THEN CAST(json_array_length(${d!.sql}) AS BIGINT) END`);
scalar(['pack', 'bag_pack'], (args, c) => {
  const pairs: string[] = [];
  for (let i = 0; i + 1 < args.length; i += 2) pairs.push(`${c.convert(args[i]!, 'string')}, ${args[i + 1]!.type === 'dynamic' ? args[i + 1]!.sql : c.convert(args[i + 1]!, 'dynamic')}`);
  return `json_object(${pairs.join(', ')})`;
});
scalar('pack_array', (args, c) => `to_json([${args.map((a) => (a.type === 'dynamic' ? a.sql : c.convert(a, 'dynamic'))).join(', ')}]::JSON[])`);
scalar('bag_keys', ([d]) => `to_json(json_keys(${d!.sql}))`);
scalar('set_has_element', ([d, v], c) => `list_contains(CAST(json_extract_string(${d!.sql}, '$[*]') AS VARCHAR[]), ${c.convert(v!, 'string')})`);
scalar('array_index_of', ([d, v], c) => `coalesce(list_position(CAST(json_extract_string(${d!.sql}, '$[*]') AS VARCHAR[]), ${c.convert(v!, 'string')}) - 1, -1)`);
