// The KQL compiler the query API runs (packages/kql): text + the schemas it may read -> SQL.
// A function type of its own so that tests can hand the server a stand-in.
import type { CompileEnv, CompiledQuery } from '../../../kql/src/index.ts';

export type CompileQuery = (text: string, env: CompileEnv) => Promise<CompiledQuery>;
export { compileQuery, warmUp as warmUpCompiler } from '../../../kql/src/index.ts';
