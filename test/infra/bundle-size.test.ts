import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { esbuildOptionsOf } from "../../infra/convene-function.ts";
import { functions } from "../../infra/wiring.ts";
import { goalKbOf, isSdkInput } from "../../scripts/bundle-budget.ts";
import { synthesize } from "./synth.ts";

/**
 * The one part a bundle may carry above its goal (issue 13): the AWS SDK, bundled and tree-shaken
 * rather than taken from the Lambda runtime, because importing the runtime-style SDK costs 2–4×
 * the CPU at cold start (see `bundleSettings`). What it may weigh, in KiB: the DynamoDB client
 * with the SDK's core (~192 measured) and its endpoint cache's LRU (~7), and what each further
 * client adds.
 */
const sdkAllowanceKb = { base: 207, "client-eventbridge": 25, "client-ses": 45 } as const;

interface Bundle {
  name: string;
  kb: number;
  /** The part of `kb` that is the AWS SDK (`@aws-sdk/*`, `@smithy/*`). */
  sdkKb: number;
  packages: Set<string>;
  files: string[];
  text: string;
}

let bundles: Bundle[];

beforeAll(async () => {
  const outdir = "/convene-bundles";
  const { outputFiles, metafile } = await build({
    ...esbuildOptionsOf(functions),
    outdir,
    metafile: true,
    write: false,
    logLevel: "silent",
  });
  bundles = functions.map((spec) => {
    const code = outputFiles.find((file) => file.path === `${outdir}/${spec.name}/index.mjs`);
    const inputs = Object.entries(metafile.outputs).find(([path]) =>
      path.endsWith(`/${spec.name}/index.mjs`),
    )?.[1].inputs;
    return {
      name: spec.name,
      kb: (code?.contents.length ?? 0) / 1024,
      sdkKb:
        Object.entries(inputs ?? {})
          .filter(([input]) => isSdkInput(input))
          .reduce((sum, [, input]) => sum + input.bytesInOutput, 0) / 1024,
      packages: new Set(
        Object.keys(inputs ?? {}).flatMap(
          (input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? [],
        ),
      ),
      files: outputFiles
        .filter((file) => file.path.startsWith(`${outdir}/${spec.name}/`))
        .map((file) => file.path.split("/").at(-1) ?? ""),
      text: code?.text ?? "",
    };
  });
}, 60_000);

describe("function bundles as cdk synth builds them", () => {
  it("ship one ESM file each, with no source map and no link to one", () => {
    for (const { name, files, text } of bundles) {
      expect(files, name).toEqual(["index.mjs"]);
      expect(text, name).not.toMatch(/sourceMappingURL/);
    }
  });

  it("start without --enable-source-maps; no function reserves concurrency (senders share the mailer's SES slots)", () => {
    const { template } = synthesize();
    const deployed = Object.values(template.findResources("AWS::Lambda::Function"));
    for (const fn of deployed) {
      expect(JSON.stringify(fn.Properties?.Environment ?? {})).not.toContain("enable-source-maps");
    }
    const reserved = deployed
      .filter((fn) => fn.Properties?.ReservedConcurrentExecutions !== undefined)
      .map((fn) => [
        String(fn.Properties?.FunctionName).replace(/^convene-/, ""),
        fn.Properties?.ReservedConcurrentExecutions,
      ]);
    expect(Object.fromEntries(reserved)).toEqual({});
  });

  it("hold neither the country names of every language nor the SDK parts Lambda never runs (credential providers, event-stream codec)", () => {
    for (const { name, text } of bundles) {
      expect(text, name).not.toContain("Afghanistan");
      expect(text, name).not.toMatch(/sso-oidc|AWS_WEB_IDENTITY_TOKEN_FILE/);
      // The codec's header names; its stand-in (infra/lambda-event-streams.ts) has none.
      expect(text, name).not.toContain(":message-type");
    }
  });

  it("load at cold start no Node.js module only an unused SDK path needs: HTTP/2 nowhere, zlib only where xlsx is written", () => {
    // The SDK's HTTP/2 handler and its event-stream codec are never used here; each would add a
    // builtin to every cold start (after the https the SDK needs: node:http2 ~7 ms of CPU, node:zlib ~2).
    const builtinsOf = (text: string) =>
      new Set(
        // ESM imports, and a CommonJS dependency's require() through the bundle's createRequire banner.
        [...text.matchAll(/\b(?:from|import)\s*"node:([\w/]+)"|\brequire\("(?:node:)?([\w/]+)"\)/g)].map(
          (match) => match[1] ?? match[2],
        ),
      );
    const loading = (builtin: string) =>
      bundles.filter(({ text }) => builtinsOf(text).has(builtin)).map(({ name }) => name);
    expect(loading("https"), "the SDK's HTTPS handler is found").toContain("register");
    expect(loading("http2")).toEqual([]);
    expect(loading("zlib")).toEqual(["list-registrations"]);
  });

  it("stay within their size goals, 250 KB on the public path and 400 KB elsewhere, but for the bundled AWS SDK", () => {
    const over = bundles.flatMap(({ name, kb, sdkKb }) =>
      kb - sdkKb > goalKbOf(name)
        ? [`${name}: ${(kb - sdkKb).toFixed(0)} KB besides the SDK > ${goalKbOf(name)} KB`]
        : [],
    );
    expect(over).toEqual([]);
  });

  it("bundle only the SDK clients their function calls, tree-shaken to their allowance", () => {
    const over = bundles.flatMap(({ name, packages, sdkKb }) => {
      const allowance = Object.entries(sdkAllowanceKb).reduce(
        (sum, [client, clientKb]) =>
          client === "base" || packages.has(`@aws-sdk/${client}`) ? sum + clientKb : sum,
        0,
      );
      return sdkKb > allowance ? [`${name}: AWS SDK ${sdkKb.toFixed(0)} KB > ${allowance} KB`] : [];
    });
    expect(over).toEqual([]);
    // Only the functions that send mail carry the SES client (`send-*`, and the test copy).
    const sesUsers = bundles
      .filter(({ packages }) => packages.has("@aws-sdk/client-ses"))
      .map(({ name }) => name);
    expect(sesUsers.filter((name) => !/^send-|^test-mailing$/.test(name))).toEqual([]);
    expect(sesUsers).toContain("send-mailing-batch");
  });
});
