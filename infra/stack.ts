import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import { HttpApi, HttpMethod, HttpNoneAuthorizer, HttpStage } from "aws-cdk-lib/aws-apigatewayv2";
import { HttpUserPoolAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import { AccountRecovery, UserPool } from "aws-cdk-lib/aws-cognito";
import { AttributeType, Billing, TableV2 } from "aws-cdk-lib/aws-dynamodb";
import {
  type EventPattern as CdkEventPattern,
  EventBus,
  type IEventBus,
  Rule,
  Schedule,
} from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import { Effect, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { ConfigurationSet, EmailSendingEvent, EventDestination } from "aws-cdk-lib/aws-ses";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { tableDefinition } from "../shared/aws/table.ts";
import { ConveneFunction } from "./convene-function.ts";
import type { EventPattern } from "./event-pattern.ts";
import { type FunctionSpec, functions } from "./wiring.ts";

/** Deploy-time settings, read from CDK context (`cdk deploy -c senderEmail=…`); see the README. */
export interface ConveneSettings {
  /** Verified SES identity that mail is sent from. */
  senderEmail: string;
  /** Base URL of links in emails (manage, unsubscribe); defaults to the HTTP API's own URL. */
  publicUrl?: string;
  /** An existing SES configuration set; when absent, the stack creates one. */
  sesConfigurationSet?: string;
}

/** API Gateway throttling of the public routes: generous for a webinar, low enough to blunt a flood. */
const publicThrottle = { rateLimit: 50, burstLimit: 100 };

export class ConveneStack extends Stack {
  constructor(scope: Construct, id: string, settings: ConveneSettings, props?: StackProps) {
    super(scope, id, props);

    const table = new TableV2(this, "Table", {
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
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const bus = new EventBus(this, "Bus", { eventBusName: "convene" });
    const deadLetters = new Queue(this, "DeadLetters", {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });

    // SES can only send its events to the default bus; the rules of AWS services' events live there.
    const defaultBus = EventBus.fromEventBusName(this, "DefaultBus", "default");
    const configurationSetName = settings.sesConfigurationSet ?? this.mailConfiguration(defaultBus);

    const organisers = new UserPool(this, "Organisers", {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: { minLength: 12 },
      userInvitation: {
        emailSubject: "Your Convene organiser account",
        emailBody: "Your Convene organiser username is {username} and your temporary password is {####}",
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const organiserClient = organisers.addClient("Cli", { authFlows: { userSrp: true, userPassword: true } });
    const adminAuthorizer = new HttpUserPoolAuthorizer("Organisers", organisers, {
      userPoolClients: [organiserClient],
    });

    const api = new HttpApi(this, "Api", { createDefaultStage: false });
    new HttpStage(this, "DefaultStage", {
      httpApi: api,
      stageName: "$default",
      autoDeploy: true,
      throttle: publicThrottle,
    });
    const publicUrl = settings.publicUrl ?? api.apiEndpoint;

    const environmentOf = (spec: FunctionSpec): Record<string, string> => ({
      ...(spec.access.table && { TABLE_NAME: table.tableName }),
      ...(spec.access.bus && { EVENT_BUS_NAME: bus.eventBusName }),
      ...(spec.access.mail && {
        SENDER_EMAIL: settings.senderEmail,
        SES_CONFIGURATION_SET: configurationSetName,
        PUBLIC_URL: publicUrl,
      }),
    });

    for (const spec of functions) {
      const fn = new ConveneFunction(this, spec, deadLetters, environmentOf(spec));
      if (spec.access.table === "read") table.grantReadData(fn);
      if (spec.access.table === "readWrite") table.grantReadWriteData(fn);
      if (spec.access.bus) bus.grantPutEventsTo(fn);
      if (spec.access.mail) {
        fn.addToRolePolicy(
          new PolicyStatement({
            effect: Effect.ALLOW,
            actions: ["ses:SendRawEmail"],
            resources: [
              this.formatArn({ service: "ses", resource: "identity", resourceName: "*" }),
              this.formatArn({
                service: "ses",
                resource: "configuration-set",
                resourceName: configurationSetName,
              }),
            ],
          }),
        );
        // GetSendQuota has no resource to scope to.
        fn.addToRolePolicy(new PolicyStatement({ actions: ["ses:GetSendQuota"], resources: ["*"] }));
      }

      for (const route of spec.routes ?? []) {
        api.addRoutes({
          path: route.path,
          methods: [HttpMethod[route.method]],
          integration: new HttpLambdaIntegration(`${spec.name}-${route.method}-${route.path}`, fn),
          authorizer: route.auth === "admin" ? adminAuthorizer : new HttpNoneAuthorizer(),
        });
      }
      if (spec.rule) {
        new Rule(this, `${spec.name}-rule`, {
          eventBus: spec.bus === "default" ? defaultBus : bus,
          eventPattern: toCdkPattern(spec.rule),
          targets: [new LambdaFunction(fn, { deadLetterQueue: deadLetters, retryAttempts: 8 })],
        });
      }
      if (spec.schedule) {
        // Schedules run on the default bus: rules on a custom bus cannot have a schedule.
        new Rule(this, `${spec.name}-schedule`, {
          schedule: Schedule.rate(Duration.minutes(spec.schedule.everyMinutes)),
          targets: [new LambdaFunction(fn, { deadLetterQueue: deadLetters, retryAttempts: 2 })],
        });
      }
    }

    new CfnOutput(this, "ApiUrl", { value: api.apiEndpoint });
    new CfnOutput(this, "PublicUrl", { value: publicUrl });
    new CfnOutput(this, "OrganiserUserPoolId", { value: organisers.userPoolId });
    new CfnOutput(this, "OrganiserClientId", { value: organiserClient.userPoolClientId });
    new CfnOutput(this, "DeadLetterQueueUrl", { value: deadLetters.queueUrl });
  }

  /**
   * The configuration set mail is sent with, when none is given: it publishes bounces and
   * complaints to the default bus, where `record-feedback` puts those addresses on the
   * suppression list. (A given set needs that destination added by hand; see the README.)
   */
  private mailConfiguration(defaultBus: IEventBus): string {
    const configurationSet = new ConfigurationSet(this, "MailConfiguration");
    configurationSet.addEventDestination("Feedback", {
      destination: EventDestination.eventBus(defaultBus),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });
    return configurationSet.configurationSetName;
  }
}

/** CDK spells the envelope fields in camelCase; the wiring uses EventBridge's own JSON form. */
function toCdkPattern(pattern: EventPattern): CdkEventPattern {
  const { "detail-type": detailType, ...rest } = pattern as Record<string, unknown>;
  return { ...rest, ...(detailType !== undefined && { detailType }) } as CdkEventPattern;
}
