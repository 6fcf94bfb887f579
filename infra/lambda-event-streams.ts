/**
 * Stands in for `@smithy/core/event-streams` in the Lambda bundles (an esbuild alias of
 * `bundleSettings`). The SDK loads it with a dynamic `import()` only for operations that stream
 * events, and none of the clients Convene uses (DynamoDB, EventBridge, SES) has one; but esbuild
 * bundles that import's target into the one file and hoists its `node:zlib` import to the top, so
 * every cold start loaded zlib and compiled ~19 KB of codec it never runs. An operation that did
 * stream events would fail here, loudly, on its first call.
 */
const notBundled = (): never => {
  throw new Error(
    "AWS SDK event streams are not bundled in Convene's functions (infra/lambda-event-streams.ts)",
  );
};

export const EventStreamSerde = notBundled;
export const eventStreamSerdeProvider = notBundled;
