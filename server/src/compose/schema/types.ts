/** Shapes shared by the compose schema validator and its schema facts. */

/** Half-open document range [start, end) in UTF-16 code units, as on the Dockerfile side. */
export interface TextRange {
  start: number;
  end: number;
}

/** One step of a path into a compose document: a mapping key or a sequence index. */
export type PathSegment = string | number;

/** A compose-spec schema violation, mapped to the YAML node that caused it. */
export interface SchemaFinding {
  code: 'schema';
  severity: 'error' | 'warning';
  range: TextRange;
  /** Names the path and the expected shape, e.g. `services.web.ports[0]: expected a string, number or mapping, got a boolean`. */
  message: string;
  /** Path of the offending value in the document after merge keys, e.g. ['services', 'web', 'ports', 0]; [] for the document. */
  path: PathSegment[];
  /** The JSON-schema keyword that failed: type, additionalProperties, enum, required, pattern, minimum, uniqueItems, oneOf, … ('aliases' when the document was too large to check). */
  keyword: string;
  /**
   * For a misspelled key or enum value the message's did-you-mean: replace the text
   * at `range` (the key or the value as written) with `text`. For quick fixes.
   */
  suggestion?: { text: string; range: TextRange };
}

/** A key allowed in a mapping, for completion and hover. */
export interface SchemaKeyInfo {
  name: string;
  description?: string;
  /** JSON types the value may have: 'string', 'number', 'integer', 'boolean', 'object', 'array', 'null'. */
  types: string[];
  /** Allowed values, when the schema lists them. */
  enum?: unknown[];
  default?: unknown;
  deprecated?: boolean;
  /** Whether the mapping must have this key. */
  required: boolean;
}

/** The keys a mapping at some path may have. */
export interface SchemaKeys {
  /** Named keys, in schema order. */
  keys: SchemaKeyInfo[];
  /** Key patterns besides the named keys: `^x-` extension fields, or names such as `^[a-zA-Z0-9._-]+$` under `services`. */
  patterns: { pattern: string; description?: string; types: string[] }[];
  /** Whether any other key is accepted too (the schema does not forbid extra keys there). */
  open: boolean;
}

/** What the schema says about the value at some path, for hover. */
export interface SchemaValueInfo {
  description?: string;
  types: string[];
  enum?: unknown[];
  default?: unknown;
  deprecated?: boolean;
  /** Value patterns (`pattern` keyword), if any. */
  patterns?: string[];
  minimum?: number;
  maximum?: number;
}
