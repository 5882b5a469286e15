// The incidents list's OData subset, as the SDK and Sentinel's portal send it: $filter with eq /
// ne on properties/status and properties/severity joined by `and`, $orderby on one property,
// $top, and $skipToken (an offset) for the next page. Anything else is refused with the forms
// that are understood: a filter silently ignored would show an analyst the wrong queue.
import type { SelectQueryBuilder } from 'kysely';
import type { Database } from '../db/schema.ts';
import { ApiError } from '../errors.ts';

type IncidentSelect = SelectQueryBuilder<Database, 'incidents', Database['incidents']>;

const FILTER_FIELDS = { 'properties/status': 'status', 'properties/severity': 'severity' } as const;
const ORDER_FIELDS = { 'properties/createdtimeutc': 'created_at', 'properties/lastmodifiedtimeutc': 'updated_at', 'properties/incidentnumber': 'number', 'properties/severity': 'severity' } as const;
const CLAUSE = /^\s*(properties\/\w+)\s+(eq|ne)\s+'([^']*)'\s*$/i;
const DEFAULT_TOP = 50;
const MAX_TOP = 1000;

export interface IncidentList {
  pageSize: number;
  /** The query with filter, order, offset and one row past the page (to know there is a next). */
  apply(q: IncidentSelect): IncidentSelect;
  nextLink(publicUrl: string, requestUrl: string): string;
}

export function incidentListQuery(query: Record<string, string | undefined>): IncidentList {
  const filter = query.$filter;
  const clauses: { column: 'status' | 'severity'; op: '=' | '!='; value: string }[] = [];
  if (filter !== undefined && filter.trim() !== '') {
    for (const part of filter.split(/\s+and\s+/i)) {
      const m = CLAUSE.exec(part);
      const column = m === null ? undefined : FILTER_FIELDS[m[1]!.toLowerCase() as keyof typeof FILTER_FIELDS];
      if (m === null || column === undefined) {
        throw new ApiError('InvalidParameter', `$filter: '${part.trim()}' is not understood. Use properties/status or properties/severity with eq or ne and a quoted value, joined by and (for example properties/status eq 'New' and properties/severity ne 'Low').`, { target: '$filter' });
      }
      clauses.push({ column, op: m[2]!.toLowerCase() === 'eq' ? '=' : '!=', value: m[3]! });
    }
  }
  let order: { column: (typeof ORDER_FIELDS)[keyof typeof ORDER_FIELDS]; direction: 'asc' | 'desc' } = { column: 'created_at', direction: 'desc' };
  if (query.$orderby !== undefined && query.$orderby.trim() !== '') {
    const m = /^\s*(properties\/\w+)(?:\s+(asc|desc))?\s*$/i.exec(query.$orderby);
    const column = m === null ? undefined : ORDER_FIELDS[m[1]!.toLowerCase() as keyof typeof ORDER_FIELDS];
    if (m === null || column === undefined) {
      throw new ApiError('InvalidParameter', `$orderby: '${query.$orderby}' is not understood. Use one of ${Object.keys(ORDER_FIELDS).map((k) => k.replace('createdtimeutc', 'createdTimeUtc').replace('lastmodifiedtimeutc', 'lastModifiedTimeUtc').replace('incidentnumber', 'incidentNumber')).join(', ')}, then asc or desc.`, { target: '$orderby' });
    }
    order = { column, direction: (m[2]?.toLowerCase() ?? 'asc') as 'asc' | 'desc' };
  }
  const top = query.$top === undefined ? DEFAULT_TOP : Number(query.$top);
  if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) {
    throw new ApiError('InvalidParameter', `$top must be a whole number from 1 to ${MAX_TOP}; got '${query.$top}'.`, { target: '$top' });
  }
  const skipText = query.$skipToken ?? query.$skiptoken;
  const skip = skipText === undefined ? 0 : Number(skipText);
  if (!Number.isInteger(skip) || skip < 0) throw new ApiError('InvalidParameter', `$skipToken '${skipText}' is not one this server gave; follow nextLink as it is.`, { target: '$skipToken' });
  return {
    pageSize: top,
    apply(q) {
      let out = q;
      for (const c of clauses) out = out.where(c.column, c.op, c.value as Database['incidents']['status']);
      // Severity sorts by rank (Informational < Low < Medium < High), not alphabetically; ties
      // by number keep pages stable.
      out = order.column === 'severity'
        ? out.orderBy((eb) => eb.case().when('severity', '=', 'High').then(3).when('severity', '=', 'Medium').then(2).when('severity', '=', 'Low').then(1).else(0).end(), order.direction)
        : out.orderBy(order.column, order.direction);
      return out.orderBy('number', 'desc').limit(top + 1).offset(skip);
    },
    nextLink(publicUrl, requestUrl) {
      const url = new URL(requestUrl, publicUrl);
      url.searchParams.delete('$skiptoken');
      url.searchParams.set('$skipToken', String(skip + top));
      return `${publicUrl}${url.pathname}${url.search}`;
    },
  };
}
