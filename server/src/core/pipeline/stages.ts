/**
 * THE analysis pipeline, defined once. Every front end runs these stages in this order — the
 * CLI (pipeline/run.ts, streaming), analyzeZone (whole text), the incremental document
 * (document.ts) and the language server (lsp/analyzer.ts, lsp/diagnostics.ts):
 *
 *   parse         the parser's own diagnostics (syntax, names, TTLs, RDATA per type)
 *   zone-wide     per record, then per owner (checks/zone.ts; the zone rules of one record
 *                 and occluded-data: checks/zoneRules.ts)
 *   zone-rules    named-checkzone's rules across owners: SOA/NS at the apex, targets, glue,
 *                 DS placement, CDS/CDNSKEY (checks/zoneRules.ts)
 *   dane          TLSA/SMIMEA RRsets and the zone around them (dane/checks.ts)
 *   mail-policy   MTA-STS and TLS-RPT records, the linked MTA-STS policy file (dane/mtaSts.ts)
 *   certificates  asynchronous: linked certificate files (certs/stage.ts)
 *   dnssec        asynchronous: signatures, NSEC/NSEC3 chains, DS/CDS, ZONEMD (dnssec/stage.ts)
 *
 * then one finalize step (pipeline/finalize.ts: `disable=` comments, severity overrides).
 * A new stage is one entry here; its reads are declared beside its checker.
 */
import { certificatesStage } from '../certs/stage';
import { zoneWideStage } from '../checks/zone';
import { zoneRulesStage } from '../checks/zoneRulesStage';
import { daneStage } from '../dane/stage';
import { mailPolicyStage } from '../dane/mtaStsStage';
import { dnssecStage } from '../dnssec/stage';
import { AsyncStage, OwnerStage, ZoneStage } from './stage';
import { ZoneReads } from './view';

/** The zone-wide stage (there is one; see OwnerStage). */
export const OWNER_STAGE: OwnerStage = zoneWideStage;

/** Synchronous zone stages, in order (after zone-wide). */
export const ZONE_STAGES: readonly ZoneStage[] = [zoneRulesStage, daneStage, mailPolicyStage];

/** Asynchronous stages, in order (after every synchronous one). */
export const ASYNC_STAGES: readonly AsyncStage[] = [certificatesStage, dnssecStage];

/** What the streaming CLI keeps for the stages (those with their own collector keep their own). */
export const ALL_READS: readonly ZoneReads[] = [...ZONE_STAGES, ...ASYNC_STAGES.filter((s) => !s.stream)].map((s) => s.reads);
