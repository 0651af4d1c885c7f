/** The model-file API (parsing, checking, overrides, header checks) in one import. */
export { checkModelFile, parseModelFile, latentClassVariable, latentClassStates, LATENT_CLASS_VARIABLE, type JsonPath, type ParsedModelFile } from './modelFile';
export { checkModelAgainstHeader } from './headerChecks';
export { applyOverrides } from './fitOverrides';
export { FIT_FLAGS, MAX_SEED, fitValueProblem } from './fitRules';
export type { SourceRange, SpecProblem, SpecSeverity } from './specProblem';
