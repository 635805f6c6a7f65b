// The VS Code extension entry point (written in client/src/extension.ts).
export {};
