/**
 * Shell reader for Dockerfile lint rules: `parseShell` turns a RUN script or a
 * here-doc body into commands with their words, operators and document ranges;
 * the query helpers answer what rules ask of them.
 */
export * from './ast';
export { parseShell, DEFAULT_MAX_NESTING_DEPTH, type ParseShellOptions } from './parse';
export { ScriptBuilder, createOffsetMapper, mapRange, type OffsetMapping, type OffsetMapper, type OffsetSegment } from './offsets';
export { staticValue, staticPrefix } from './words';
export * from './queries';
