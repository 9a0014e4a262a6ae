/**
 * The compose-spec schema: validation (`schema` findings) and what the schema
 * says at a path (completion, hover). The schema comes from the pinned
 * devDependency dclint; scripts/compose-schema.mjs compiles it at build time.
 */
export { validateComposeSchema, validateComposeValue, isValidComposeData } from './validate';
export { validateComposeTree } from './tree';
export { treeToData } from './treeData';
export { ServiceSchemaCache, type PerServiceValidation } from './perService';
export type { SchemaLocator } from './validate';
export { schemaKeysAt, schemaInfoAt, schemaNodesAt, composeSchemaSource, describeComposeSchemaSource } from './facts';
export { documentToData, indexDocument, locate } from './data';
export { didYouMean, editDistance, formatPath, hasInterpolation } from './messages';
export type { SchemaFinding, SchemaKeyInfo, SchemaKeys, SchemaValueInfo, PathSegment, TextRange } from './types';
export type { SchemaSource } from './facts';
