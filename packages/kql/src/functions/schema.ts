// Internal functions of schema discovery (evaluate bag_unpack without an output schema).
import { scalar } from './registry.ts';

/** The JSON type of a dynamic value as the engine names it (OBJECT, ARRAY, BIGINT, DOUBLE, VARCHAR, BOOLEAN, NULL). */
scalar('json_kind', ([d]) => `coalesce(json_type(${d!.sql}), 'NULL')`);
