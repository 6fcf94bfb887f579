/**
 * Measures issue 13's bundle figures: every function's bundle ≤ 400 KB, the public path's
 * ≤ 250 KB, and the public path's module init ≤ 60 ms (median of a fresh `node` importing the
 * bundle, several times each).
 *
 *   npx tsx scripts/measure-bundles.ts [imports per function] [--ladder[=<public function>]]
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
 * of a shared machine. Each import's CPU time is printed beside its wall time: on a loaded machine
 * the wall time also counts the waits for a core, and the CPU time is the figure to compare.
 * `--ladder` also breaks a function's init down (the slowest by CPU unless named; the steps fit
 * cancel-registration, register and manage-registration, which read both schemas), imported in
 * turn with bundles that each add one part to the one before: an empty module (Node's own import),
 * its SDK clients, Convene's Powertools logger and metrics (`shared/observability.ts`), zod's
 * classic API with one schema, the domain's event and registration schemas, then the whole
 * function. It exits with 1 if a figure misses its goal.
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

const runs = Number(process.argv.find((arg, index) => index > 1 && /^\d+$/.test(arg)) ?? 7);
/** `--ladder`: "" (the slowest function by CPU); `--ladder=<name>`: that function; absent: undefined. */
const ladder = process.argv.find((arg) => /^--ladder(=|$)/.test(arg))?.slice("--ladder=".length);
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
  // The SDK warns once, at its first client, that it will require Node.js 22; Lambda runs Node.js
  // 24, where the check stays silent, so a local Node.js 20 leaves it out too (its cost was within
  // the noise: CPU ratios 0.996 and 0.989 over 31 pairs, whole function and SDK clients alone).
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
};

const importTimer = `const cpu = process.cpuUsage(); const t = performance.now(); await import(process.argv[1]);
const used = process.cpuUsage(cpu); console.log(performance.now() - t, (used.user + used.system) / 1000);`;

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

/** A module of the given source, bundled with the functions' settings, as `<outDir>/<path>/index.mjs`. */
async function bundleSource(path: string, contents: string): Promise<string> {
  const file = join(outDir, path, "index.mjs");
  await build({
    ...esbuildOptionsOf([]),
    entryPoints: undefined,
    stdin: { contents, resolveDir: join(import.meta.dirname, ".."), sourcefile: `${path}.mjs` },
    outfile: file,
    logLevel: "silent",
  });
  return file;
}

/** The source of a module that builds the given SDK clients as `shared/aws/` builds them. */
function clientsSource(name: string, clients: readonly string[]): string {
  const unknown = clients.filter((client) => !clientBuilds[client]);
  if (clients.length === 0 || unknown.length > 0)
    throw new Error(`${name}: no floor for its SDK clients (${clients.join(", ") || "none found"})`);
  const parts = clients.map((client) => clientBuilds[client] ?? { imports: "", build: "" });
  return `${parts.map((part) => part.imports).join("\n")}
export const clients = [${parts.map((part) => part.build).join(", ")}];`;
}

/** The steps of `--ladder`, each a module's source that adds one part to the step before. */
const ladderSteps = (name: string, clients: readonly string[]) => {
  const sdk = clientsSource(name, clients);
  const powertools = `${sdk}\nexport { count, log } from "#shared/observability";`;
  const zod = `${powertools}\nimport * as z from "zod";\nexport const one = z.object({ name: z.string() });`;
  const schemas = `${zod}\nexport { eventInputSchema } from "#shared/domain/event";
export { registrationSchema } from "#shared/domain/registration";`;
  return [
    { step: "an empty module (Node's own import)", contents: "export const nothing = 0;" },
    { step: "its SDK clients alone", contents: sdk },
    { step: "+ Powertools' logger and metrics", contents: powertools },
    { step: "+ zod's classic API, one schema", contents: zod },
    { step: "+ the event and registration schemas", contents: schemas },
  ];
};

const run = promisify(execFile);
/** Wall and CPU milliseconds of a fresh `node` importing the file. */
const timeImport = async (file: string) => {
  const { stdout } = await run(
    process.execPath,
    ["--input-type=module", "-e", importTimer, pathToFileURL(file).href],
    { env: initEnvironment },
  );
  const [wall = Number.NaN, cpu = Number.NaN] = stdout.trim().split(" ").map(Number);
  return { wall, cpu };
};
/** Imports the files in turn, `runs` times, and gives each one's median wall and CPU time. */
async function timeInTurn(files: readonly string[]) {
  const times = files.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
  for (let index = 0; index < runs; index++) {
    for (const [at, file] of files.entries()) {
      const { wall, cpu } = await timeImport(file);
      times[at]?.wall.push(wall);
      times[at]?.cpu.push(cpu);
    }
  }
  return times.map(({ wall, cpu }) => ({ wall: median(wall), cpu: median(cpu) }));
}
const ms = ({ wall, cpu }: { wall: number; cpu: number }) => `${wall.toFixed(1)} ms, CPU ${cpu.toFixed(1)}`;

const initMs = new Map<string, { wall: number; cpu: number }>();
const floorMs = new Map<string, { wall: number; cpu: number }>();
for (const name of publicPath) {
  const bundle = bundles.find((candidate) => candidate.name === name);
  if (!bundle) throw new Error(`${name} is not in the wiring list`);
  const floor = await bundleSource(`sdk-clients-alone/${name}`, clientsSource(name, bundle.clients));
  const [init, floorInit] = await timeInTurn([bundle.file, floor]);
  if (init) initMs.set(name, init);
  if (floorInit) floorMs.set(name, floorInit);
}

bundles.sort((a, b) => b.kb - a.kb);
for (const { name, kb, sdkKb } of bundles) {
  const init = initMs.get(name);
  const floor = floorMs.get(name);
  console.log(
    `${kb.toFixed(0).padStart(5)} KB  (SDK ${sdkKb.toFixed(0).padStart(3)})  ${name}${init && floor ? `  (init ${ms(init)}; its SDK clients alone ${ms(floor)})` : ""}`,
  );
}
const isPublic = ({ name }: { name: string }) => (publicPath as readonly string[]).includes(name);
const bySizeLessSdk = [...bundles].sort((a, b) => b.kb - b.sdkKb - (a.kb - a.sdkKb));
const largestLessSdk = bySizeLessSdk[0];
const largestPublicLessSdk = bySizeLessSdk.find(isPublic);
const largest = bundles[0];
const largestPublic = bundles.find(isPublic);
const slowestInit = Math.max(...[...initMs.values()].map(({ wall }) => wall));
const slowestInitName = [...initMs].find(([, { wall }]) => wall === slowestInit)?.[0] ?? "";
const floorOfSlowest = floorMs.get(slowestInitName)?.wall ?? 0;

if (ladder !== undefined) {
  // By CPU, which a loaded machine's waits do not reorder.
  const slowestCpu = Math.max(...[...initMs.values()].map(({ cpu }) => cpu));
  const slowest = bundles.find(({ name }) =>
    ladder ? name === ladder : initMs.get(name)?.cpu === slowestCpu,
  );
  if (!slowest || !initMs.has(slowest.name)) throw new Error(`--ladder: ${ladder} is not on the public path`);
  const steps = ladderSteps(slowest.name, slowest.clients);
  const files = await Promise.all(steps.map(({ contents }, at) => bundleSource(`ladder/${at}`, contents)));
  const times = await timeInTurn([...files, slowest.file]);
  const whole = times.at(-1)?.cpu ?? Number.NaN;
  console.log(`Where ${slowest.name}'s init goes (medians of ${runs}, imported in turn):`);
  for (const [at, { step }] of [...steps, { step: `the whole ${slowest.name}` }].entries()) {
    const time = times[at];
    const before = times[at - 1];
    if (time) {
      const added = time.cpu - (before?.cpu ?? 0);
      const share = `${((100 * added) / whole).toFixed(0)} % of the whole`;
      console.log(
        `  ${step.padEnd(40)} ${ms(time)}  (${before ? `${added.toFixed(1)} CPU more, ` : ""}${share})`,
      );
    }
  }
}
await rm(outDir, { recursive: true, force: true });
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
