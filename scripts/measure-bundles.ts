/**
 * Measures issue 13's bundle figures: every function's bundle ≤ 400 KB, the public path's
 * ≤ 250 KB, and the public path's module init ≤ 60 ms (median of a fresh `node` importing the
 * bundle, several times each).
 *
 *   npx tsx scripts/measure-bundles.ts [imports per function]
 *
 * It bundles every function of the wiring list with the esbuild options `cdk synth` uses
 * (`esbuildOptionsOf`: the AWS SDK bundled, see `bundleSettings`), in one esbuild call, into
 * `node_modules/.cache/convene-bundles/`, then times imports one process at a time. Module init is
 * measured inside the process from just before `import()` to just after, so Node's own start-up is
 * left out, as Lambda's init duration leaves out the runtime's. Besides the goals' figures it
 * prints each goal's figure less the bundled AWS SDK (`isSdkInput`), the one part kept
 * over the goals on purpose, and the floor under the init goal: a bundle of only the SDK clients
 * the function uses, built (`new …Client({})`) as `shared/aws/` builds them, with the same
 * settings, imported in turn with the function's bundle so that both are timed in the same moments
 * of a shared machine. It exits with 1 if a figure misses its goal.
 */
import { execFile } from "node:child_process";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { esbuildOptionsOf } from "../infra/convene-function.ts";
import { functions } from "../infra/wiring.ts";
import { isSdkInput, limits, publicPath } from "./bundle-budget.ts";
import { median, reportFigures } from "./figures.ts";

const runs = Number(process.argv[2] ?? 7);
const outDir = join(import.meta.dirname, "..", "node_modules", ".cache", "convene-bundles");

/** Settings a function's configuration schema reads at cold start; no call leaves the process. */
const initEnvironment = {
  ...process.env,
  AWS_REGION: "eu-west-1",
  TABLE_NAME: "convene-measure",
  EVENT_BUS_NAME: "convene-measure",
  SENDER_EMAIL: "webinars@example.org",
  SENDER_NAME: "Convene",
  SES_CONFIGURATION_SET: "convene-measure",
  PUBLIC_URL: "https://example.org",
  POWERTOOLS_SERVICE_NAME: "convene-measure",
  POWERTOOLS_METRICS_NAMESPACE: "convene-measure",
};

const importTimer =
  "const t = performance.now(); await import(process.argv[1]); console.log(performance.now() - t);";

await rm(outDir, { recursive: true, force: true });
const { metafile } = await build({
  ...esbuildOptionsOf(functions),
  outdir: outDir,
  metafile: true,
  logLevel: "silent",
});
const bundles = functions.map((spec) => {
  const file = join(outDir, spec.name, "index.mjs");
  const output = Object.entries(metafile.outputs).find(([path]) => path.endsWith(`${spec.name}/index.mjs`));
  if (!output) throw new Error(`${spec.name}: no bundle`);
  const sdkBytes = Object.entries(output[1].inputs)
    .filter(([input]) => isSdkInput(input))
    .reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
  const clients = [
    ...new Set(
      Object.keys(output[1].inputs).flatMap(
        (input) => /node_modules\/@aws-sdk\/(client-[a-z0-9-]+)\//.exec(input)?.[1] ?? [],
      ),
    ),
  ];
  return { name: spec.name, kb: output[1].bytes / 1024, sdkKb: sdkBytes / 1024, file, clients };
});

/** How `shared/aws/` builds each client a bundle may hold (the document client wraps DynamoDB's). */
const clientBuilds: Record<string, { imports: string; build: string }> = {
  "client-dynamodb": {
    imports: `import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";`,
    build:
      "DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } })",
  },
  "client-eventbridge": {
    imports: `import { EventBridgeClient } from "@aws-sdk/client-eventbridge";`,
    build: "new EventBridgeClient({})",
  },
  "client-ses": { imports: `import { SESClient } from "@aws-sdk/client-ses";`, build: "new SESClient({})" },
};

/** The floor of a function's init: a bundle of only the SDK clients it holds, built as it builds them. */
async function buildClientsAlone(name: string, clients: readonly string[]): Promise<string> {
  const unknown = clients.filter((client) => !clientBuilds[client]);
  if (clients.length === 0 || unknown.length > 0)
    throw new Error(`${name}: no floor for its SDK clients (${clients.join(", ") || "none found"})`);
  const parts = clients.map((client) => clientBuilds[client] ?? { imports: "", build: "" });
  const file = join(outDir, "sdk-clients-alone", name, "index.mjs");
  await build({
    ...esbuildOptionsOf([]),
    entryPoints: undefined,
    stdin: {
      contents: `${parts.map((part) => part.imports).join("\n")}
export const clients = [${parts.map((part) => part.build).join(", ")}];`,
      resolveDir: join(import.meta.dirname, ".."),
      sourcefile: `${name}-sdk-clients.mjs`,
    },
    outfile: file,
    logLevel: "silent",
  });
  return file;
}

const run = promisify(execFile);
const timeImport = async (file: string) => {
  const { stdout } = await run(
    process.execPath,
    ["--input-type=module", "-e", importTimer, pathToFileURL(file).href],
    { env: initEnvironment },
  );
  return Number(stdout.trim());
};
const initMs = new Map<string, number>();
const floorMs = new Map<string, number>();
for (const name of publicPath) {
  const bundle = bundles.find((candidate) => candidate.name === name);
  if (!bundle) throw new Error(`${name} is not in the wiring list`);
  const floor = await buildClientsAlone(name, bundle.clients);
  const times: number[] = [];
  const floorTimes: number[] = [];
  for (let index = 0; index < runs; index++) {
    times.push(await timeImport(bundle.file));
    floorTimes.push(await timeImport(floor));
  }
  initMs.set(name, median(times));
  floorMs.set(name, median(floorTimes));
}
await rm(outDir, { recursive: true, force: true });

bundles.sort((a, b) => b.kb - a.kb);
for (const { name, kb, sdkKb } of bundles) {
  const init = initMs.get(name);
  const floor = floorMs.get(name);
  console.log(
    `${kb.toFixed(0).padStart(5)} KB  (SDK ${sdkKb.toFixed(0).padStart(3)})  ${name}${init === undefined ? "" : `  (init ${init.toFixed(1)} ms; its SDK clients alone ${floor?.toFixed(1)} ms)`}`,
  );
}
const isPublic = ({ name }: { name: string }) => (publicPath as readonly string[]).includes(name);
const bySizeLessSdk = [...bundles].sort((a, b) => b.kb - b.sdkKb - (a.kb - a.sdkKb));
const largestLessSdk = bySizeLessSdk[0];
const largestPublicLessSdk = bySizeLessSdk.find(isPublic);
const largest = bundles[0];
const largestPublic = bundles.find(isPublic);
const slowestInit = Math.max(...initMs.values());
const slowestInitName = [...initMs].find(([, ms]) => ms === slowestInit)?.[0] ?? "";
const floorOfSlowest = floorMs.get(slowestInitName) ?? 0;
const figures = [
  {
    figure: `largest bundle (${largest?.name})`,
    value: `${largest?.kb.toFixed(0)} KB`,
    goal: `≤ ${limits.anyKb} KB`,
    pass: (largest?.kb ?? 0) <= limits.anyKb,
  },
  {
    figure: `largest public-path bundle (${largestPublic?.name})`,
    value: `${largestPublic?.kb.toFixed(0)} KB`,
    goal: `≤ ${limits.publicKb} KB`,
    pass: (largestPublic?.kb ?? 0) <= limits.publicKb,
  },
  {
    figure: `largest bundle less the bundled AWS SDK (${largestLessSdk?.name})`,
    value: `${((largestLessSdk?.kb ?? 0) - (largestLessSdk?.sdkKb ?? 0)).toFixed(0)} KB`,
    goal: `≤ ${limits.anyKb} KB`,
    pass: (largestLessSdk?.kb ?? 0) - (largestLessSdk?.sdkKb ?? 0) <= limits.anyKb,
  },
  {
    figure: `largest public-path bundle less the bundled AWS SDK (${largestPublicLessSdk?.name})`,
    value: `${((largestPublicLessSdk?.kb ?? 0) - (largestPublicLessSdk?.sdkKb ?? 0)).toFixed(0)} KB`,
    goal: `≤ ${limits.publicKb} KB`,
    pass: (largestPublicLessSdk?.kb ?? 0) - (largestPublicLessSdk?.sdkKb ?? 0) <= limits.publicKb,
  },
  {
    figure: `public-path module init, slowest median of ${runs} (${slowestInitName})`,
    value: `${slowestInit.toFixed(1)} ms`,
    goal: `≤ ${limits.initMs} ms`,
    pass: slowestInit <= limits.initMs,
  },
  {
    // What the goal cannot go under with the SDK bundled: the same function's clients alone, timed in turn with it.
    figure: `the floor of that init: ${slowestInitName}'s SDK clients alone, median of ${runs}`,
    value: `${floorOfSlowest.toFixed(1)} ms`,
    goal: `≤ ${limits.initMs} ms`,
    pass: floorOfSlowest <= limits.initMs,
  },
];
reportFigures(figures);
process.exit(figures.every((figure) => figure.pass) ? 0 : 1);
