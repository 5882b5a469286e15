// Request and document validation with zod, turned into our error shape: every problem names
// the field (as a dotted path) and what is wrong with it.
import type { z } from 'zod';
import { ApiError } from './errors.ts';

export function validateBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  const details = result.error.issues.map((issue) => ({
    code: 'InvalidRequestContent',
    target: issue.path.join('.') || '(body)',
    message: `${issue.path.join('.') || 'The request body'}: ${issue.message}`,
  }));
  throw new ApiError(
    'InvalidRequestContent',
    `The request content was invalid: ${details.map((d) => d.message).join('; ')}.`,
    { target: first?.path.join('.') || '(body)', details },
  );
}
