/** The `dane` stage of the pipeline: the RRset- and zone-level DANE checks over what DANE_READS declares. */
import { ZoneStage } from '../pipeline/stage';
import { DANE_READS, runDane } from './checks';
import { incrementalDane } from './incremental';

export const daneStage: ZoneStage = { kind: 'zone', name: 'dane', reads: DANE_READS, run: runDane, incremental: incrementalDane };
