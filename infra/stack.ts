import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
} from "aws-cdk-lib/aws-apigatewayv2";
import { HttpUserPoolAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import { AttributeType, Billing, StreamViewType, TableV2 } from "aws-cdk-lib/aws-dynamodb";
import {
  type EventPattern as CdkEventPattern,
  EventBus,
  type IRule,
  Rule,
  RuleTargetInput,
  Schedule,
} from "aws-cdk-lib/aws-events";
import { LambdaFunction, SqsQueue } from "aws-cdk-lib/aws-events-targets";
import { FilterCriteria, StartingPosition } from "aws-cdk-lib/aws-lambda";
import { DynamoEventSource, SqsDlq, SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { tableDefinition } from "../shared/aws/table.ts";
import { acknowledge } from "./acknowledge.ts";
import { ConsoleHosting } from "./console-hosting.ts";
import { ConveneFunction, type LogLevel } from "./convene-function.ts";
import type { EventPattern } from "./event-pattern.ts";
import { Mail } from "./mail.ts";
import { Monitoring } from "./monitoring.ts";
import { Organisers } from "./organisers.ts";
import { grantAccess } from "./permissions.ts";
import { redriveSource } from "./redrive.ts";
import { type FunctionSpec, functions, timeoutSecondsOf } from "./wiring.ts";

/** Deploy-time settings, read from CDK context (`cdk deploy -c senderEmail=…`); see the README. */
export interface ConveneSettings {
  /** Suffix of every physical name (`convene-<stage>`), so that stages can share an account. */
  stage?: string;
  /** The address mail is sent from; its domain is the SES identity the stack creates. */
  senderEmail: string;
  /** The display name mail is sent under ("UCLG and UNICEF webinars"). */
  senderName: string;
  /** Base URL of links in emails (manage, unsubscribe); defaults to the HTTP API's own URL. */
  publicUrl?: string;
  /** An existing SES configuration set; when absent, the stack creates one. */
  sesConfigurationSet?: string;
  /** An existing SES identity (domain or address) to send from, instead of creating the domain's. */
  sesIdentity?: string;
  /** Subscribed to the alarms' SNS topic (confirm the mail SNS sends). */
  alarmEmail?: string;
  /** Public POSTs per client IP and hour; 0 turns the limits off; the functions' default when absent. */
  registrationRateLimit?: number;
  logLevel: LogLevel;
  /** The built organiser console (`console/dist`), deployed to S3 behind CloudFront. */
  consoleAssets: string;
  /** More URLs Cognito may send organisers back to, besides the console's (e.g. a custom domain). */
  callbackUrls?: string[];
  /** Prefix of Cognito's managed login domain; `<base name>-<account>` by default. */
  cognitoDomainPrefix?: string;
}

/** API Gateway throttling of the public routes: generous for a webinar, low enough to blunt a flood. */
const publicThrottle = { rateLimit: 50, burstLimit: 100 };

/** Powertools' metrics namespace, the same for every stage (the `service` dimension tells them apart). */
const metricsNamespace = "Convene";

/** `convene`, or `convene-<stage>`: the base of every physical name. */
export const baseNameOf = (stage: string | undefined): string => (stage ? `convene-${stage}` : "convene");

/** What the API Gateway access log records, one JSON object per request. */
const accessLogFields = {
  requestId: "$context.requestId",
  ip: "$context.identity.sourceIp",
  userAgent: "$context.identity.userAgent",
  time: "$context.requestTime",
  method: "$context.httpMethod",
  path: "$context.path",
  routeKey: "$context.routeKey",
  status: "$context.status",
  responseLength: "$context.responseLength",
  latencyMs: "$context.responseLatency",
  integrationError: "$context.integrationErrorMessage",
  organiser: "$context.authorizer.claims.sub",
};

export class ConveneStack extends Stack {
  constructor(scope: Construct, id: string, settings: ConveneSettings, props?: StackProps) {
    super(scope, id, props);
    const baseName = baseNameOf(settings.stage);

    const table = new TableV2(this, "Table", {
      tableName: baseName,
      partitionKey: { name: tableDefinition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableDefinition.sortKey, type: AttributeType.STRING },
      globalSecondaryIndexes: tableDefinition.globalSecondaryIndexes.map((index) => ({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      })),
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
      // The outbox relay reads the stream (`relay-outbox`): new images carry the items' messages.
      dynamoStream: StreamViewType[tableDefinition.streamViewType],
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const bus = new EventBus(this, "Bus", { eventBusName: baseName });
    bus.archive("Archive", {
      archiveName: baseName,
      description: "Every event of Convene's bus for 30 days, to replay after a consumer bug",
      eventPattern: { account: [this.account] },
      retention: Duration.days(30),
    });
    const deadLetters = new Queue(this, "DeadLetters", {
      queueName: `${baseName}-dead-letters`,
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    acknowledge(deadLetters, [
      { id: "AwsSolutions-SQS3", reason: "This queue is the dead-letter queue." },
      { id: "Serverless-SQSRedrivePolicy", reason: "This queue is the dead-letter queue." },
    ]);

    // SES can only send its events to the default bus; the rules of AWS services' events live there.
    const defaultBus = EventBus.fromEventBusName(this, "DefaultBus", "default");
    const mail = new Mail(this, "Mail", {
      baseName,
      senderEmail: settings.senderEmail,
      sesIdentity: settings.sesIdentity,
      sesConfigurationSet: settings.sesConfigurationSet,
      defaultBus,
    });

    const consoleHosting = new ConsoleHosting(this, "Console", { assetsDir: settings.consoleAssets });
    const organisers = new Organisers(this, "Organisers", {
      baseName,
      domainPrefix: settings.cognitoDomainPrefix ?? `${baseName}-${Aws.ACCOUNT_ID}`,
      callbackUrls: [consoleHosting.url, ...(settings.callbackUrls ?? [])],
    });
    const adminAuthorizer = new HttpUserPoolAuthorizer("Organisers", organisers.pool, {
      userPoolClients: [organisers.client],
    });

    // The console calls the API from its own origin: CORS, rather than one distribution in front of
    // both, keeps the API's client IPs in its access log and throttling, and the API's URL unchanged.
    const api = new HttpApi(this, "Api", {
      apiName: baseName,
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [
          consoleHosting.origin,
          ...(settings.callbackUrls ?? []).map((url) => new URL(url).origin),
        ],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.DELETE],
        allowHeaders: ["authorization", "content-type"],
        // The console names downloaded exports after the API's Content-Disposition.
        exposeHeaders: ["content-disposition"],
        maxAge: Duration.days(1),
      },
    });
    const accessLogs = new LogGroup(this, "ApiAccessLogs", {
      logGroupName: `/aws/apigateway/${baseName}-access`,
      retention: RetentionDays.THREE_MONTHS,
    });
    new HttpStage(this, "DefaultStage", {
      httpApi: api,
      stageName: "$default",
      autoDeploy: true,
      throttle: publicThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(accessLogFields)),
      },
    });
    const publicUrl = settings.publicUrl ?? api.apiEndpoint;

    const environmentOf = (spec: FunctionSpec): Record<string, string> => ({
      ...(spec.access.table && { TABLE_NAME: table.tableName }),
      ...(spec.access.bus && { EVENT_BUS_NAME: bus.eventBusName }),
      ...(spec.access.mail && {
        SENDER_EMAIL: settings.senderEmail,
        SENDER_NAME: settings.senderName,
        SES_CONFIGURATION_SET: mail.configurationSetName,
        PUBLIC_URL: publicUrl,
      }),
      ...(spec.access.publicUrl && { PUBLIC_URL: publicUrl }),
      // The public POSTs' rate limit (shared/abuse) is a deployment setting.
      ...(settings.registrationRateLimit !== undefined &&
        spec.access.rateLimited && {
          CONVENE_REGISTRATION_RATE_LIMIT: String(settings.registrationRateLimit),
        }),
    });

    const built: { name: string; fn: ConveneFunction }[] = [];
    const rules: { name: string; rule: IRule; busName?: string }[] = [];
    const queues: { name: string; queue: Queue }[] = [];
    for (const spec of functions) {
      const queue = spec.rule && spec.queue ? consumerQueue(this, spec, baseName, deadLetters) : undefined;
      if (queue) queues.push({ name: spec.name, queue });
      const fn = new ConveneFunction(this, spec, {
        functionName: `${baseName}-${spec.name}`,
        // A queued consumer is never invoked asynchronously: its failed records go to the dead-letter
        // queue through its queue's redrive policy.
        failures: (spec.rule && !queue) || spec.schedule ? deadLetters : undefined,
        environment: environmentOf(spec),
        powertools: { serviceName: baseName, metricsNamespace, logLevel: settings.logLevel },
      });
      built.push({ name: spec.name, fn });
      grantAccess(fn, spec.access, {
        table,
        bus,
        mail: { resources: mail.sendingResources, senderEmail: settings.senderEmail },
      });

      for (const route of spec.routes ?? []) {
        const routes = api.addRoutes({
          path: route.path,
          methods: [HttpMethod[route.method]],
          integration: new HttpLambdaIntegration(`${spec.name}-${route.method}-${route.path}`, fn),
          authorizer: route.auth === "admin" ? adminAuthorizer : new HttpNoneAuthorizer(),
        });
        if (route.auth === "public") {
          acknowledge(routes, [
            {
              id: "AwsSolutions-APIG4",
              reason: `${route.method} ${route.path} is public by design (registrants, signed links, mail providers' one-click unsubscribe): what it allows is bounded by its validation or its signed token, and the stage is throttled.`,
            },
          ]);
        }
      }

      // The rule's events, and their redrives, go to the function's queue when it has one, so that
      // it only ever receives SQS events; `message` is the whole event unless given.
      const consumer = (retryAttempts: number, message?: RuleTargetInput) =>
        queue
          ? new SqsQueue(queue, { message, deadLetterQueue: deadLetters, retryAttempts })
          : new LambdaFunction(fn, { event: message, deadLetterQueue: deadLetters, retryAttempts });
      if (spec.rule) {
        const rule = new Rule(this, `${spec.name}-rule`, {
          eventBus: spec.bus === "default" ? defaultBus : bus,
          eventPattern: toCdkPattern(spec.rule),
          targets: [consumer(8)],
        });
        rules.push({ name: spec.name, rule, busName: spec.bus === "default" ? undefined : bus.eventBusName });
      }
      if (queue && spec.queue) {
        // No batching window: Lambda takes what is there at once rather than hold events to fill a batch.
        fn.addEventSource(
          new SqsEventSource(queue, { batchSize: spec.queue.batchSize, reportBatchItemFailures: true }),
        );
        acknowledge(fn, [
          {
            id: "Serverless-LambdaEventSourceMappingDestination",
            reason:
              "An SQS event source mapping has no on-failure destination (Lambda offers them for streams and Kafka): the queue's redrive policy moves a record that failed every receive to the dead-letter queue.",
          },
        ]);
      }
      if (spec.schedule) {
        // Schedules run on the default bus: rules on a custom bus cannot have a schedule.
        const schedule = new Rule(this, `${spec.name}-schedule`, {
          schedule: Schedule.rate(Duration.minutes(spec.schedule.everyMinutes)),
          targets: [new LambdaFunction(fn, { deadLetterQueue: deadLetters, retryAttempts: 2 })],
        });
        rules.push({ name: `${spec.name}-schedule`, rule: schedule });
      }
      if (spec.stream) {
        // A function on the stream, rather than an EventBridge Pipe straight to the bus: a Pipe's
        // target takes one fixed detail-type (or a path into the record), and its input transformer
        // cannot turn the message kept as a JSON string into the event's detail object, nor delete
        // the outbox item once published; left in the table, every item would be published again
        // by the sweeper. The function publishes and deletes with the code the local runtime runs.
        // A batch that still fails after its retries goes to the dead-letter queue as a pointer to
        // the records; its items stay in the table, and the sweeper publishes them.
        fn.addEventSource(
          new DynamoEventSource(table, {
            startingPosition: StartingPosition.TRIM_HORIZON,
            batchSize: 10,
            retryAttempts: 10,
            bisectBatchOnError: true,
            onFailure: new SqsDlq(deadLetters),
            filters: [FilterCriteria.filter(spec.stream.filter as Record<string, unknown>)],
          }),
        );
      }
      if (spec.rule || spec.schedule) {
        // `convene dead-letters redrive` hands a failed event back to this function only.
        const redrive = new Rule(this, `${spec.name}-redrive`, {
          eventBus: bus,
          description: `Redrives dead letters of ${spec.name} (convene dead-letters redrive)`,
          eventPattern: { source: [redriveSource], detailType: [spec.name] },
          targets: [consumer(2, RuleTargetInput.fromEventPath("$.detail"))],
        });
        rules.push({ name: `${spec.name}-redrive`, rule: redrive, busName: bus.eventBusName });
      }
    }

    const tick = built.find(({ name }) => name === "reminders-tick")?.fn;
    if (!tick) throw new Error("the wiring list has no reminders-tick");
    const monitoring = new Monitoring(this, "Monitoring", {
      baseName,
      functions: built,
      streamConsumers: built.filter(({ name }) =>
        functions.some((spec) => spec.name === name && spec.stream),
      ),
      queues,
      tick,
      api,
      rules,
      table,
      deadLetters,
      metricsNamespace,
      serviceName: baseName,
      alarmEmail: settings.alarmEmail,
    });

    consoleHosting.deploy({
      auth: "oidc",
      apiUrl: api.apiEndpoint,
      authority: organisers.pool.userPoolProviderUrl,
      clientId: organisers.client.userPoolClientId,
      redirectUri: consoleHosting.url,
      postLogoutRedirectUri: consoleHosting.url,
      logoutUrl: organisers.logoutUrl,
    });

    new CfnOutput(this, "ConsoleUrl", { value: consoleHosting.url });
    new CfnOutput(this, "ApiUrl", { value: api.apiEndpoint });
    new CfnOutput(this, "PublicUrl", { value: publicUrl });
    new CfnOutput(this, "OrganiserUserPoolId", { value: organisers.pool.userPoolId });
    new CfnOutput(this, "OrganiserClientId", { value: organisers.client.userPoolClientId });
    new CfnOutput(this, "ManagedLoginUrl", { value: organisers.domain.baseUrl() });
    new CfnOutput(this, "DeadLetterQueueUrl", { value: deadLetters.queueUrl });
    new CfnOutput(this, "EventBusName", { value: bus.eventBusName });
    new CfnOutput(this, "AlarmTopicArn", { value: monitoring.topic.topicArn });
    new CfnOutput(this, "DashboardUrl", {
      value: `https://console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${baseName}`,
    });
  }
}

/**
 * The queue between a consumer's rule and the function (`spec.queue`), named as the function is
 * (`convene-<stage>-<name>`), so that a dead letter it moves names its consumer.
 */
function consumerQueue(scope: Construct, spec: FunctionSpec, baseName: string, deadLetters: Queue): Queue {
  return new Queue(scope, `${spec.name}-queue`, {
    queueName: `${baseName}-${spec.name}`,
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    // AWS's guidance for an event source mapping: at least 6× the function's timeout, so that a
    // batch still running (or retried by the poller) is not handed to a second instance meanwhile.
    visibilityTimeout: Duration.seconds(6 * timeoutSecondsOf(spec)),
    // 4 days (SQS's default): events wait out a weekend with the consumer stopped (its mapping
    // disabled, its concurrency at 0), and a message moved to the dead-letter queue keeps its first
    // enqueue time there, so it has 10 of the dead-letter queue's 14 days left to be redriven.
    retentionPeriod: Duration.days(4),
    // 5 receives, not 1: the poller may receive a batch that Lambda then throttles, which counts as
    // a receive; AWS advises at least 5 so that throttling alone moves nothing to the dead letters.
    deadLetterQueue: { queue: deadLetters, maxReceiveCount: 5 },
  });
}

/** CDK spells the envelope fields in camelCase; the wiring uses EventBridge's own JSON form. */
function toCdkPattern(pattern: EventPattern): CdkEventPattern {
  const { "detail-type": detailType, ...rest } = pattern as Record<string, unknown>;
  return { ...rest, ...(detailType !== undefined && { detailType }) } as CdkEventPattern;
}
