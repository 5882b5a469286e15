// series_* functions over dynamic numeric arrays, built from DuckDB list functions. Kusto: a
// non-numeric or missing element (arrays of different lengths) gives null; integers stay
// integers through +, -, *; other results are reals. Those whose algorithm cannot be made exact
// here (decompose, outliers, periods, filters, 2-line fits) are refused by name: the lowering
// refuses every name missing from the catalogue, with the function's position.
import { literalOf, scalar, type SqlArg, type SqlContext } from './registry.ts';

/** The elements of an array argument as JSON values (NULL when it is not an array). */
const elements = (a: SqlArg) => `(CASE WHEN json_type(${a.sql}) = 'ARRAY' THEN CAST(${a.sql} AS JSON[]) END)`;
const asDouble = (e: string) => `TRY_CAST(${e} AS DOUBLE)`;
const isInteger = (e: string) => `coalesce(json_type(${e}) IN ('BIGINT', 'UBIGINT'), FALSE)`;
const isNumber = (a: SqlArg) => ['int', 'long', 'real', 'decimal'].includes(a.type);

/** The numbers of an array argument as DOUBLE[] (non-numbers null). */
const doubles = (a: SqlArg) => `list_transform(${elements(a)}, lambda __e: ${asDouble('__e')})`;

type Operand = { value: string; integer: string };

/**
 * Element-wise over one or two operands; a number (not an array) applies to every element.
 * `f` gives the element's JSON value from the operands' values.
 */
function elementwise(args: SqlArg[], c: SqlContext, f: (x: Operand[]) => string): string {
  const arrays = args.filter((a) => a.type === 'dynamic');
  if (arrays.length === 0) return c.unsupported('a series function without an array');
  for (const a of args) if (a.type !== 'dynamic' && !isNumber(a)) return c.unsupported(`a ${a.type} operand of a series function`);
  const scalarOperand = (a: SqlArg): Operand => ({ value: `CAST(${a.sql} AS DOUBLE)`, integer: a.type === 'int' || a.type === 'long' ? 'TRUE' : 'FALSE' });
  if (arrays.length === 1) {
    const operands = (e: string) => args.map((a) => (a.type === 'dynamic' ? { value: asDouble(e), integer: isInteger(e) } : scalarOperand(a)));
    return `to_json(list_transform(${elements(arrays[0]!)}, lambda __e: ${f(operands('__e'))}))`;
  }
  const [a, b] = args;
  return `to_json(list_transform(list_zip(${elements(a!)}, ${elements(b!)}), lambda __p: ${f([
    { value: asDouble('__p[1]'), integer: isInteger('__p[1]') },
    { value: asDouble('__p[2]'), integer: isInteger('__p[2]') },
  ])}))`;
}

/** An arithmetic result: integral operands give an integer (Kusto's long arithmetic). */
const arithmetic = (op: (x: string, y: string) => string) => (args: SqlArg[], c: SqlContext) => elementwise(args, c, ([x, y]) =>
  `CASE WHEN ${x!.integer} AND ${y!.integer} THEN to_json(CAST(${op(x!.value, y!.value)} AS BIGINT)) ELSE to_json(${op(x!.value, y!.value)}) END`);

scalar('series_add', arithmetic((x, y) => `(${x} + ${y})`));
scalar('series_subtract', arithmetic((x, y) => `(${x} - ${y})`));
scalar('series_multiply', arithmetic((x, y) => `(${x} * ${y})`));
scalar('series_divide', (args, c) => elementwise(args, c, ([x, y]) => `to_json(CASE WHEN ${y!.value} = 0 THEN NULL ELSE ${x!.value} / ${y!.value} END)`));
scalar('series_pow', (args, c) => elementwise(args, c, ([x, y]) => `to_json(pow(${x!.value}, ${y!.value}))`));

for (const [name, op] of [['greater', '>'], ['greater_equals', '>='], ['less', '<'], ['less_equals', '<='], ['equals', '='], ['not_equals', '<>']] as const) {
  scalar(`series_${name}`, (args, c) => elementwise(args, c, ([x, y]) => `to_json(${x!.value} ${op} ${y!.value})`));
}

/** Unary functions give reals (Kusto writes floor and ceiling results as 1.0). */
const UNARY: Record<string, (x: string) => string> = {
  abs: (x) => `abs(${x})`, acos: (x) => `acos(${x})`, asin: (x) => `asin(${x})`, atan: (x) => `atan(${x})`,
  ceiling: (x) => `ceil(${x})`, cos: (x) => `cos(${x})`, exp: (x) => `exp(${x})`, floor: (x) => `floor(${x})`,
  log: (x) => `CASE WHEN ${x} > 0 THEN ln(${x}) END`, sign: (x) => `sign(${x})`, sin: (x) => `sin(${x})`,
  sqrt: (x) => `CASE WHEN ${x} >= 0 THEN sqrt(${x}) END`, tan: (x) => `tan(${x})`,
};
for (const [name, f] of Object.entries(UNARY)) {
  scalar(`series_${name}`, (args, c) => elementwise(args.slice(0, 1), c, ([x]) => `to_json(${f(x!.value)})`));
}

/** Reductions over the numbers of an array (nulls ignored). */
scalar('series_sum', ([x]) => `list_sum(list_filter(${doubles(x!)}, lambda __v: __v IS NOT NULL))`);
scalar('series_magnitude', ([x]) => `sqrt(list_sum(list_transform(list_filter(${doubles(x!)}, lambda __v: __v IS NOT NULL), lambda __v: __v * __v)))`);
scalar('series_dot_product', ([a, b]) => {
  if (b!.type !== 'dynamic') return `list_sum(list_transform(${doubles(a!)}, lambda __v: __v * CAST(${b!.sql} AS DOUBLE)))`;
  return `list_sum(list_transform(list_zip(${doubles(a!)}, ${doubles(b!)}), lambda __p: __p[1] * __p[2]))`;
});
scalar('series_cosine_similarity', ([a, b]) => {
  const pairs = `list_zip(${doubles(a!)}, ${doubles(b!)})`;
  const dot = `list_sum(list_transform(${pairs}, lambda __p: __p[1] * __p[2]))`;
  const norm = (i: number) => `sqrt(list_sum(list_transform(${pairs}, lambda __p: __p[${i}] * __p[${i}])))`;
  return `(${dot} / (${norm(1)} * ${norm(2)}))`;
});
scalar('series_pearson_correlation', ([a, b]) => {
  const pairs = `list_filter(list_zip(${doubles(a!)}, ${doubles(b!)}), lambda __p: __p[1] IS NOT NULL AND __p[2] IS NOT NULL)`;
  return `(SELECT corr(__p[1], __p[2]) FROM (SELECT unnest(${pairs}) AS __p))`;
});

/**
 * series_stats_dynamic: min, min_idx, max, max_idx, avg, stdev (sample), variance (sample),
 * sum and len (series_stats returns the first seven); indexes from 0.
 */
scalar('series_stats_dynamic', ([x, ignore]) => {
  const list = doubles(x!);
  const skip = ignore !== undefined ? ` AND __v IS DISTINCT FROM CAST(${ignore.sql} AS DOUBLE)` : '';
  return `(SELECT json_object('min', min(__v), 'min_idx', CAST(arg_min(__i, __v) AS BIGINT), 'max', max(__v), 'max_idx', CAST(arg_max(__i, __v) AS BIGINT), `
    + `'avg', avg(__v), 'stdev', coalesce(stddev_samp(__v), 0), 'variance', coalesce(var_samp(__v), 0), 'sum', sum(__v), 'len', count(__v)) `
    + `FROM (SELECT unnest(${list}) AS __v, unnest(range(len(${list}))) AS __i) WHERE __v IS NOT NULL AND NOT isnan(__v)${skip})`;
});

/**
 * series_fit_line: least squares of the values over x = 1..n (as Kusto's documented example
 * computes it): rsquare, slope, variance (sample variance of the values), rvariance (residuals'
 * sum of squares over n - 1), interception and the fitted line.
 */
scalar('series_fit_line_dynamic', ([x]) => {
  const list = doubles(x!);
  const points = `(SELECT unnest(${list}) AS __v, unnest(range(1, len(${list}) + 1)) AS __x)`;
  const fit = `(SELECT regr_slope(__v, __x) AS slope, regr_intercept(__v, __x) AS icpt, count(__v) AS n, var_pop(__v) * count(__v) AS sstot FROM ${points})`;
  const sums = `(SELECT any_value(__f.slope) AS slope, any_value(__f.icpt) AS icpt, any_value(__f.n) AS n, any_value(__f.sstot) AS sstot, `
    + `sum(pow(__p.__v - (__f.slope * __p.__x + __f.icpt), 2)) FILTER (WHERE __p.__v IS NOT NULL) AS ssres, `
    + `list(__f.slope * __p.__x + __f.icpt ORDER BY __p.__x) AS line FROM ${points} AS __p, ${fit} AS __f)`;
  return `(SELECT json_object('rsquare', CASE WHEN sstot > 0 THEN 1 - ssres / sstot END, 'slope', slope, 'variance', CASE WHEN n > 1 THEN sstot / (n - 1) END, `
    + `'rvariance', CASE WHEN n > 1 THEN ssres / (n - 1) END, 'interception', icpt, 'line_fit', to_json(line)) FROM ${sums} AS __s)`;
});

/** series_fill_const(x, c [, missing]): nulls (or `missing` values) replaced by c. */
scalar('series_fill_const', ([x, value, missing], c) => {
  const fill = value!.type === 'dynamic' ? value!.sql : c.convert(value!, 'dynamic');
  const hole = (e: string) => (missing === undefined || literalOf(missing) === null
    ? `(${e} IS NULL OR json_type(${e}) = 'NULL')`
    : `(${e} IS NULL OR json_type(${e}) = 'NULL' OR ${asDouble(e)} = CAST(${missing.sql} AS DOUBLE))`);
  return `to_json(list_transform(${elements(x!)}, lambda __e: CASE WHEN ${hole('__e')} THEN ${fill} ELSE __e END))`;
});

/** series_fill_forward / backward: a null takes the nearest non-null value before (after) it; leading (trailing) nulls stay. */
function fillFrom(direction: 'forward' | 'backward') {
  return ([x]: SqlArg[]) => {
    const list = elements(x!);
    const present = `list_transform(${list}, lambda __e: NOT (__e IS NULL OR json_type(__e) = 'NULL'))`;
    const pick = direction === 'forward'
      // The last present index at or before i.
      ? `list_reduce(list_transform(range(1, __i + 1), lambda __j: CASE WHEN ${present}[__j] THEN __j ELSE 0 END), lambda __a, __b: greatest(__a, __b))`
      : `list_reduce(list_transform(range(__i, len(${list}) + 1), lambda __j: CASE WHEN ${present}[__j] THEN __j ELSE 2147483647 END), lambda __a, __b: least(__a, __b))`;
    return `to_json(list_transform(range(1, len(${list}) + 1), lambda __i: ${list}[${pick}]))`;
  };
}
scalar('series_fill_forward', fillFrom('forward'));
scalar('series_fill_backward', fillFrom('backward'));
