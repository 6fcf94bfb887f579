import { Duration } from "aws-cdk-lib";
import { Architecture, Runtime } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { entryOf, type FunctionSpec, timeoutSecondsOf } from "./wiring.ts";

/**
 * Every Convene Lambda function: Node.js 22 on ARM64, bundled by the local esbuild (no Docker) as
 * ESM with source maps, its own log group with a retention, and a dead-letter queue for failed
 * asynchronous invocations. Settings live here once instead of in a block per function.
 */
export class ConveneFunction extends NodejsFunction {
  constructor(
    scope: Construct,
    spec: FunctionSpec,
    deadLetterQueue: IQueue,
    environment: Record<string, string>,
  ) {
    super(scope, spec.name, {
      entry: entryOf(spec),
      handler: "handler",
      description: spec.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMb ?? 512,
      timeout: Duration.seconds(timeoutSecondsOf(spec)),
      environment: { NODE_OPTIONS: "--enable-source-maps", ...environment },
      logGroup: new LogGroup(scope, `${spec.name}-logs`, { retention: RetentionDays.THREE_MONTHS }),
      deadLetterQueue,
      retryAttempts: 2,
      bundling: {
        format: OutputFormat.ESM,
        target: "node22",
        minify: true,
        sourceMap: true,
        mainFields: ["module", "main"],
        // The AWS SDK is bundled, not taken from the runtime, so what runs is what was tested.
        externalModules: [],
        // Some dependencies still call require(); give ESM bundles one.
        banner:
          "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    });
  }
}
