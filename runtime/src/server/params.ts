import { RuntimeErrorCode } from '../protocol/types';
import { RpcError } from './rpcServer';

/** `record` is an object of string values (labels, build args); `unknown` is checked by the handler. */
type FieldType = 'string' | 'boolean' | 'number' | 'string[]' | 'record' | 'unknown';
type Shape = Record<string, `${FieldType}` | `${FieldType}?`>;
type TypeOf<T extends string> = T extends 'string'
  ? string
  : T extends 'boolean'
    ? boolean
    : T extends 'number'
      ? number
      : T extends 'string[]'
        ? string[]
        : T extends 'record'
          ? Record<string, string>
          : T extends 'unknown'
            ? unknown
            : never;
type Parsed<S extends Shape> = { [K in keyof S as S[K] extends `${string}?` ? never : K]: TypeOf<S[K]> } & {
  [K in keyof S as S[K] extends `${string}?` ? K : never]?: TypeOf<S[K] extends `${infer T}?` ? T : never>;
};

const invalid = (message: string) => new RpcError(RuntimeErrorCode.InvalidParams, message);

/**
 * Checks a request's params against a shape and returns them typed; a field of
 * the wrong type, a missing required field or an unknown field is refused
 * with a message naming it.
 */
export function readParams<S extends Shape>(method: string, params: unknown, shape: S): Parsed<S> {
  if (params === undefined || params === null) params = {};
  if (typeof params !== 'object' || Array.isArray(params)) throw invalid(`${method}: params must be an object`);
  const record = params as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(key in shape)) throw invalid(`${method}: unknown param "${key}" (expected ${Object.keys(shape).join(', ') || 'none'})`);
  }
  for (const [key, spec] of Object.entries(shape)) {
    const optional = spec.endsWith('?');
    const type = (optional ? spec.slice(0, -1) : spec) as FieldType;
    const value = record[key];
    if (value === undefined) {
      if (!optional) throw invalid(`${method}: param "${key}" is required`);
      continue;
    }
    const ok =
      type === 'unknown' ||
      (type === 'string[]'
        ? Array.isArray(value) && value.every((item) => typeof item === 'string')
        : type === 'record'
          ? typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((item) => typeof item === 'string')
          : typeof value === type);
    if (!ok) throw invalid(`${method}: param "${key}" must be ${type === 'string[]' ? 'an array of strings' : type === 'record' ? 'an object of string values' : `a ${type}`}`);
  }
  return record as Parsed<S>;
}
