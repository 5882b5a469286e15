// ARM lists: `{value, nextLink}` with an absolute nextLink carrying `$skipToken`.
import type { FastifyRequest } from 'fastify';

export function page<T>(request: FastifyRequest, publicUrl: string, items: T[], pageSize: number): { value: T[]; nextLink?: string } {
  const query = request.query as Record<string, string | undefined>;
  const raw = query.$skipToken ?? query.$skiptoken;
  const offset = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : 0;
  const value = items.slice(offset, offset + pageSize);
  if (offset + pageSize >= items.length) return { value };
  const url = new URL(request.url, publicUrl);
  url.searchParams.delete('$skiptoken');
  url.searchParams.set('$skipToken', String(offset + pageSize));
  return { value, nextLink: `${publicUrl}${url.pathname}${url.search}` };
}
