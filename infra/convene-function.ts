import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Duration, Validations } from "aws-cdk-lib";
import { Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from "aws-cdk-lib/aws-lambda";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import { Charset, NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import type { BuildOptions } from "esbuild";
import { entryOf, type FunctionSpec, timeoutSecondsOf } from "./wiring.ts";

/**
 * The Lambda runtime: the newest Node.js LTS that Lambda offers in this aws-cdk-lib. The bundling
 * target follows it, and the README tells local tooling to match it.
 */
export const lambdaRuntime = Runtime.NODEJS_24_X;
const bundlingTarget = `node${/^nodejs(\d+)\.x$/.exec(lambdaRuntime.name)?.[1]}`;

const infraDir = dirname(fileURLToPath(import.meta.url));

/**
 * How every function is bundled, written once for `cdk synth`, the bundle-size test and
 * `npm run bench` (which bundle with esbuild's API exactly as the CDK's esbuild call does):
 * - **The AWS SDK is bundled**, tree-shaken and minified, not taken from the runtime (the CDK's
 *   default from Node 18 on): importing the runtime-style SDK (its CommonJS builds, every command
 *   of a client, the whole credential chain) took 3× the CPU of the whole minified bundle, though
 *   it would halve the bundle's bytes (measured again on 2026-11-29, medians of 7 on a loaded
 *   2-core machine: `register` 347 ms bundled against 1,167 ms with `@aws-sdk/*` and `@smithy/*`
 *   external, 407 KB against 208 KB). The cold start is what a registrant waits for, so the SDK
 *   stays in, and it is the one part a bundle may carry over its size goal
 *   (`test/infra/bundle-size.test.ts` caps it per client). It also keeps what runs equal to what
 *   was tested: no drift with the runtime's SDK version.
 * - **Credentials from the environment only**: Lambda always gives a function its role's
 *   credentials there, so the default provider chain (SSO, INI files, web identity, instance
 *   metadata and the nested STS/SSO clients they bring, ~90 KiB per bundle) is replaced by
 *   `lambda-credentials.ts` (an esbuild alias). Locally and in tests the SDK's own chain still runs.
 * - **No event-stream codec**: the SDK imports it dynamically, for streaming operations only (none
 *   in DynamoDB, EventBridge or SES), but esbuild puts it in the one file and hoists its
 *   `node:zlib` import, so every cold start paid for both; `lambda-event-streams.ts` stands in
 *   (19 KB less; cancel-registration's import 7 % less CPU, pair-timed).
 * - **The init goal's floor**: the 60 ms goal for a fresh `node` importing a public bundle sits
 *   at what the SDK clients alone cost with these settings (DynamoDB's document client, plus
 *   EventBridge's for cancel-registration: 56–63 ms of CPU against the public functions' 98–136 on
 *   the loaded 2-core machine, 2026-11-29; `scripts/measure-bundles.ts` times "its SDK clients
 *   alone" beside each function in every run, and `--ladder` splits the slowest). Shares of
 *   cancel-registration's init (CPU, 21 alternated imports): Node's own import of an empty module
 *   8 %, the SDK clients 39 % (Node's https, tls and crypto modules, which every request needs,
 *   ~11 ms; no HTTP/2 or zlib, which the bundle-size test holds), Powertools' logger and metrics
 *   5 %, zod's classic API 10 %, the domain's event and registration schemas 20 % (288 schema
 *   objects: two thirds zod's own code running for the first time, a third the objects), the
 *   HTTP layer 4 %, stores and use cases 9 % (their own schemas), the pages' texts 3 %.
 *   Reading and pre-parsing costs ~4 ms per 100 KB of this minified output. So with the SDK
 *   bundled, zod at every edge and Powertools, 60 ms is out of reach here, and the SDK taken from
 *   the runtime costs 3× (above). Looked at and left: only the JSON protocol's serde is bundled,
 *   the endpoint rulesets are 5 KB decision diagrams, ASCII output compiles no faster than UTF-8,
 *   and middy's `node:stream/web` import costs ~1.4 ms (not worth a stand-in for a Node module).
 *   What would still cut it is `zod/mini`: cold, ~500 schema objects took 30 % less CPU than with
 *   the classic API, and mini loads in ~2 ms against classic's ~11; but classic's load goes only
 *   when no module of a function uses it (87 modules of `shared/` and `functions/` do), and the
 *   domain's schemas alone in mini would save ~5 ms while changing the types of schemas 124 files
 *   import.
 * - **No source maps in the zip**, and no `--enable-source-maps` (it cost 5–47 ms and 12–25 MB per
 *   cold start, and the maps were 108 MB in all). Errors are logged with their name and message,
 *   which say what failed; a stack trace names minified functions.
 * - ESM with `module` before `main`, so that ESM builds of dependencies are tree-shaken.
 * - UTF-8 output: esbuild's default escapes every non-ASCII character as `\uXXXX` (six bytes for
 *   one Arabic letter's two), which made the three languages' page texts ~27 KB of each public
 *   bundle more; Node.js reads UTF-8 sources as they are.
 */
export const bundleSettings = {
  format: "esm",
  platform: "node",
  target: bundlingTarget,
  mainFields: ["module", "main"],
  minify: true,
  charset: "utf8",
  alias: {
    "@aws-sdk/credential-provider-node": join(infraDir, "lambda-credentials.ts"),
    "@smithy/core/event-streams": join(infraDir, "lambda-event-streams.ts"),
  },
  // Some dependencies still call require(); give ESM bundles one.
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
} as const;

/**
 * The esbuild options that bundle the given functions as `cdk synth` does (which bundles them one
 * by one), into `<outdir>/<name>/index.mjs`; one call for several shares the parsing of the
 * modules they have in common.
 */
export const esbuildOptionsOf = (specs: readonly FunctionSpec[]): BuildOptions => ({
  entryPoints: specs.map((spec) => ({ in: entryOf(spec), out: `${spec.name}/index` })),
  outExtension: { ".js": ".mjs" },
  bundle: true,
  format: bundleSettings.format,
  platform: bundleSettings.platform,
  target: bundleSettings.target,
  mainFields: [...bundleSettings.mainFields],
  minify: bundleSettings.minify,
  charset: bundleSettings.charset,
  alias: bundleSettings.alias,
  banner: { js: bundleSettings.banner },
  sourcemap: false,
});

/** Log levels that Powertools and Lambda's advanced logging controls both understand. */
export type LogLevel = "DEBUG" | "INFO" | "WARN" | "ERROR";

export interface ConveneFunctionOptions {
  /** Physical name (stage-suffixed), also the name of its log group. */
  functionName: string;
  /**
   * Where failed asynchronous invocations (bus rules, schedules) go after Lambda's own retries;
   * absent for functions invoked only synchronously (HTTP routes), which answer their errors.
   */
  failures?: IQueue;
  environment: Record<string, string>;
  /** Powertools' service name and metrics namespace: one per stage, shared by every function. */
  powertools: { serviceName: string; metricsNamespace: string; logLevel: LogLevel };
}

/**
 * Every Convene Lambda function: Node.js 24 on ARM64, bundled by the local esbuild (no Docker) as
 * {@link bundleSettings} say; JSON logs at the configured level in its own log group, X-Ray active
 * tracing, the Powertools settings its HTTP or bus wrapper reads, an execution role that may
 * write only its own log group (no AWS managed policy), and failed asynchronous invocations sent
 * to the dead-letter queue as Lambda destination records, which keep the function and the error.
 * Settings live here once instead of in a block per function.
 */
export class ConveneFunction extends NodejsFunction {
  constructor(scope: Construct, spec: FunctionSpec, options: ConveneFunctionOptions) {
    const logGroup = new LogGroup(scope, `${spec.name}-logs`, {
      logGroupName: `/aws/lambda/${options.functionName}`,
      retention: RetentionDays.THREE_MONTHS,
    });
    const role = new Role(scope, `${spec.name}-role`, {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: `Execution role of ${options.functionName}`,
    });
    logGroup.grantWrite(role);
    const { powertools } = options;
    super(scope, spec.name, {
      functionName: options.functionName,
      entry: entryOf(spec),
      handler: "handler",
      description: spec.description,
      runtime: lambdaRuntime,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMb ?? 512,
      timeout: Duration.seconds(timeoutSecondsOf(spec)),
      reservedConcurrentExecutions: spec.reservedConcurrency,
      role,
      environment: {
        POWERTOOLS_SERVICE_NAME: powertools.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: powertools.metricsNamespace,
        POWERTOOLS_LOG_LEVEL: powertools.logLevel,
        // Responses carry registrants' personal data (pages, exports): traces keep timings, not bodies.
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: "false",
        ...options.environment,
      },
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      // Lambda drops application lines below this level: kept equal to Powertools' own level.
      applicationLogLevelV2: ApplicationLogLevel[powertools.logLevel],
      systemLogLevelV2: SystemLogLevel.WARN,
      tracing: Tracing.ACTIVE,
      ...(options.failures && { onFailure: new SqsDestination(options.failures), retryAttempts: 2 }),
      bundling: {
        format: OutputFormat.ESM,
        target: bundleSettings.target,
        minify: bundleSettings.minify,
        charset: Charset.UTF8,
        sourceMap: false,
        mainFields: [...bundleSettings.mainFields],
        externalModules: [],
        esbuildArgs: Object.fromEntries(
          Object.entries(bundleSettings.alias).map(([name, file]) => [`--alias:${name}`, file]),
        ),
        banner: bundleSettings.banner,
      },
    });
    Validations.of(this).acknowledge({
      id: "Serverless-LambdaDLQ",
      reason:
        "Failed asynchronous invocations go to the dead-letter queue through the on-failure destination, whose records keep the function ARN and the error (a DeadLetterConfig would drop both); HTTP routes are invoked synchronously and answer their errors.",
    });
    Validations.of(role).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason:
        "X-Ray's PutTraceSegments and PutTelemetryRecords, and SES's GetSendQuota, have no resource-level permissions.",
    });
  }
}
