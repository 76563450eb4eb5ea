// Starts the intake process on its TypeScript entry: registers tsx's loader first (a child process
// does not inherit the parent's loader under every runner), then imports the entry.
const entry = process.argv[2];
if (entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(entry);
