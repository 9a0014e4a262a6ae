/**
 * Dockerfile parsing library: syntax tree (`parseDockerfile`), semantic model
 * (`buildModel` / `analyzeDockerfile`), offset <-> position conversion
 * (`LineIndex`) and variable reference helpers. Pure: no I/O, no `vscode`.
 */

export { parseDockerfile } from './parser';
export { LineIndex, type Position, type PositionRange } from './lineIndex';
export { LogicalLine } from './logicalLine';
export {
  extractVariableReferences,
  extractVariableReferencesInRange,
  expandVariables,
  expansionSyntaxError,
  type ExpansionResult,
  type VariableLookup,
  type VariableScanOptions,
} from './variables';
export { splitImageReference, type ImageReferenceParts } from './imageRef';
export { digestError, imageReferenceProblem, isImageReference, splitRepositoryTag } from './imageReference';
export { mountFieldEnd } from './mountFields';
export { isReservedStageName, isValidStageName } from './stageNames';
export { KNOWN_INSTRUCTIONS, type InstructionName } from './instructionArgs';
export type * from './types';
export * from './model';
