/** The functions a registrant's browser reaches: the pages, registering, managing, unsubscribing. */
export const publicPath = [
  "get-event",
  "registration-form",
  "register",
  "manage-registration",
  "cancel-registration",
  "unsubscribe",
] as const;

/** Issue 13's goals for a bundle's bytes and the public path's module init. */
export const limits = { anyKb: 400, publicKb: 250, initMs: 60 };

export const goalKbOf = (name: string): number =>
  (publicPath as readonly string[]).includes(name) ? limits.publicKb : limits.anyKb;

/**
 * Whether a bundle's input (an esbuild metafile path) is the AWS SDK: its packages and its own
 * dependencies (the DynamoDB client's endpoint cache, an LRU), the one part kept over the goals.
 */
export const isSdkInput = (input: string) =>
  /node_modules\/(@aws-sdk|@smithy|mnemonist|obliterator)\//.test(input);
