// The lab and live-check test helpers live in test/support/lab.ts (shared test support).
export * from '../support/lab';
