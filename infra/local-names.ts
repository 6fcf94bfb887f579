/**
 * The names the local runtime gives its table and bus, shared with the tools that talk to a running
 * local stack (the CLI's local dead letters). Outside infra/local/, so those tools never load the
 * emulators themselves.
 */
export const localTableName = "convene";
export const localBusName = "convene";
