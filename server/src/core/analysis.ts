/**
 * analyzeZone: the whole analysis pipeline (pipeline/stages.ts) on one text, records kept.
 * The definitions live in pipeline/; this module is the name the tests and features know.
 */
export { analyzeZone, type ZoneAnalysis } from './pipeline/run';
export { applySeverities } from './pipeline/finalize';
export type { AnalysisOptions } from './pipeline/stage';
