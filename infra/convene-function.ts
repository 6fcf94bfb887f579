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
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { entryOf, type FunctionSpec, timeoutSecondsOf } from "./wiring.ts";

/**
 * The Lambda runtime: the newest Node.js LTS that Lambda offers in this aws-cdk-lib. The bundling
 * target follows it, and the README tells local tooling to match it.
 */
export const lambdaRuntime = Runtime.NODEJS_24_X;
const bundlingTarget = `node${/^nodejs(\d+)\.x$/.exec(lambdaRuntime.name)?.[1]}`;

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
 * ESM with source maps; JSON logs at the configured level in its own log group, X-Ray active
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
      role,
      environment: {
        NODE_OPTIONS: "--enable-source-maps",
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
        target: bundlingTarget,
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
