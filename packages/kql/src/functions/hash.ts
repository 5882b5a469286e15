// Hash functions.
import { scalar } from './registry.ts';

scalar('hash_sha256', ([x], c) => `sha256(${c.convert(x!, 'string')})`);
scalar('hash_md5', ([x], c) => `md5(${c.convert(x!, 'string')})`);
