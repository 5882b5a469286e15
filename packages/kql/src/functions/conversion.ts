// Conversions (tostring, tolong, todynamic...): one rule set, the dialect's convert().
import { scalar, type Template } from './registry.ts';
import type { KqlType } from '../types.ts';

const to = (type: KqlType): Template => ([x], c) => c.convert(x!, type);

scalar('tostring', to('string'));
scalar(['tolong', 'toint64'], to('long'));
scalar(['toint', 'toint32'], to('int'));
scalar(['todouble', 'toreal', 'todecimal'], to('real'));
scalar(['tobool', 'toboolean'], to('bool'));
scalar(['todatetime'], to('datetime'));
scalar(['totimespan', 'totime'], to('timespan'));
scalar('toguid', to('guid'));
scalar(['todynamic', 'parse_json', 'parsejson', 'toobject'], to('dynamic'));
/** Internal: a value converted to the type the plan gives the call (datatable cells). */
scalar('convert', ([x], c) => c.convert(x!, c.resultType));
