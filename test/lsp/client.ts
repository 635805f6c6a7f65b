// The LSP test client lives in test/support/lspClient.ts (shared test support).
export * from '../support/lspClient';
