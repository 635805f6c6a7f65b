/**
 * RDATA of one record: the type's own parser when its RR_TYPES entry names one
 * (`rdataParser`), else the field-by-field parser of rdata.ts. The parser calls only this, so
 * it knows nothing of any particular type. To give a type its own parser: write it with the
 * RdataParser signature, add its name to RdataParserName (rrtypes.ts) and to PARSERS here,
 * and set `rdataParser` on the type's table entry.
 */
import { parseTlsaRdata } from '../dane/tlsaRdata';
import { parseRdata, RdataResult } from '../rdata';
import { typeByCode } from '../rrtypes';
import { RdataParserName } from '../rrtypeSchema';
import { Token } from '../types';

export type RdataParser = (typeCode: number, tokens: Token[], origin: string | undefined, recordEnd: number) => RdataResult;

const PARSERS: Readonly<Record<RdataParserName, RdataParser>> = {
  tlsa: parseTlsaRdata,
};

/** Validates and encodes a record's RDATA tokens. Never throws. */
export function parseRecordRdata(typeCode: number, tokens: Token[], origin: string | undefined, recordEnd: number): RdataResult {
  const hook = typeByCode(typeCode)?.rdataParser;
  return (hook ? PARSERS[hook] : parseRdata)(typeCode, tokens, origin, recordEnd);
}
