// The registry of real-editor cases: each case file (cases/*.ts) adds its cases with test()/todo()
// when it is loaded; cases.ts loads them in order.
import * as vscode from 'vscode';

export interface Case {
  name: string;
  run: () => Promise<void>;
  /** Why the case is skipped for now (a feature not there yet). */
  todo?: string;
}

export const cases: Case[] = [];
/** Adds a case: what the user sees. */
export const test = (name: string, run: () => Promise<void>): void => { cases.push({ name, run }); };
/** Keeps a case that waits for a feature: it is listed as skipped, with `why`. */
export const todo = (name: string, why: string, run: () => Promise<void>): void => { cases.push({ name, run, todo: why }); };

export const { Error: ERROR, Warning: WARNING } = vscode.DiagnosticSeverity;
