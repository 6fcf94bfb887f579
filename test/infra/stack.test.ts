import { App, Stack } from "aws-cdk-lib";
import { Annotations, Match, type Template } from "aws-cdk-lib/assertions";
import { Bucket } from "aws-cdk-lib/aws-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { lambdaRuntime } from "../../infra/convene-function.ts";
import { bounceRateThreshold, complaintRateThreshold } from "../../infra/monitoring.ts";
import { deploymentEnvironment } from "../../infra/settings.ts";
import { type FunctionSpec, functions } from "../../infra/wiring.ts";
import { nagFindings, synthesize } from "./synth.ts";

type Resource = { Properties: Record<string, unknown> };

let app: App;
let stagedApp: App;
/** What `cdk synth` warns of, for each of the two deployments. */
let warnings: string[];
let stagedWarnings: string[];
const warningsOf = (stack: Stack) =>
  Annotations.fromStack(stack)
    .findWarning("*", Match.anyValue())
    .map(({ entry }) => String(entry.data));
let template: Template;
/** A second deployment, every optional context key set: another stage of the same account. */
let staged: Template;
let stagedStackName: string;

beforeAll(() => {
  let stack: Stack;
  ({ app, template, stack } = synthesize());
  warnings = warningsOf(stack);
  const other = synthesize({
    stage: "dev",
    senderEmail: "webinars@uclg.example.org",
    senderName: "UCLG and UNICEF webinars",
    sesConfigurationSet: "existing-set",
    sesIdentity: "uclg.example.org",
    alarmEmail: "oncall@uclg.example.org",
    callbackUrls: "https://console.uclg.example.org/console/",
    logLevel: "debug",
    registrationRateLimit: "30",
  });
  staged = other.template;
  stagedApp = other.app;
  stagedWarnings = warningsOf(other.stack);
  stagedStackName = other.stack.stackName;
});

/** A consumer that takes its rule's events through its own queue, in batches. */
const queued = (spec: FunctionSpec) => Boolean(spec.rule && spec.queue);

const resourcesOf = (source: Template, type: string) =>
  Object.values(source.findResources(type)) as Resource[];
const resources = (type: string) => resourcesOf(template, type);

describe("the AWS stack", () => {
  it("has one on-demand table with point-in-time recovery and a TTL attribute", () => {
    template.resourceCountIs("AWS::DynamoDB::GlobalTable", 1);
    template.hasResourceProperties("AWS::DynamoDB::GlobalTable", {
      TableName: "convene",
      BillingMode: "PAY_PER_REQUEST",
      TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
      Replicas: [
        Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
      ],
    });
  });

  it("runs every function on the newest Node.js LTS, ARM64, traced, with JSON logs and the Powertools settings", () => {
    const lambdas = resources("AWS::Lambda::Function").filter(({ Properties }) =>
      String(Properties.Runtime).startsWith("nodejs"),
    );

    expect(lambdaRuntime.name).toBe("nodejs24.x");
    expect(lambdas).toHaveLength(functions.length);
    for (const { Properties } of lambdas) {
      expect(Properties.Runtime).toBe(lambdaRuntime.name);
      expect(Properties.Architectures).toEqual(["arm64"]);
      expect(Properties.TracingConfig).toEqual({ Mode: "Active" });
      expect(Properties.LoggingConfig).toMatchObject({ LogFormat: "JSON", ApplicationLogLevel: "INFO" });
      expect((Properties.Environment as { Variables: Record<string, string> }).Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: "convene",
        POWERTOOLS_METRICS_NAMESPACE: "Convene",
        POWERTOOLS_LOG_LEVEL: "INFO",
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: "false",
      });
    }
    for (const { Properties } of resources("AWS::Logs::LogGroup"))
      expect(Properties.RetentionInDays).toBeGreaterThan(0);
  });

  it("sends the failed asynchronous invocations of bus consumers and schedules to the dead-letter queue, with their error", () => {
    const configs = resources("AWS::Lambda::EventInvokeConfig");
    // A queued consumer is invoked by its queue's event source mapping, never asynchronously.
    expect(configs).toHaveLength(
      functions.filter((spec) => (spec.rule && !queued(spec)) || spec.schedule).length,
    );
    for (const { Properties } of configs) {
      expect(Properties.DestinationConfig).toEqual({
        OnFailure: { Destination: { "Fn::GetAtt": [expect.stringMatching(/^DeadLetters/), "Arn"] } },
      });
    }
  });

  it("guards /admin routes with the organisers' JWT authorizer and leaves public routes open", () => {
    template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", { AuthorizerType: "JWT" });
    for (const { Properties } of resources("AWS::ApiGatewayV2::Route")) {
      const isAdmin = String(Properties.RouteKey).split(" ")[1]?.startsWith("/admin/");
      expect(Properties.AuthorizationType, String(Properties.RouteKey)).toBe(isAdmin ? "JWT" : "NONE");
    }
  });

  it("lets organisers in by invitation only, with TOTP MFA and threat protection", () => {
    template.hasResourceProperties("AWS::Cognito::UserPool", {
      AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
      MfaConfiguration: "ON",
      EnabledMfas: ["SOFTWARE_TOKEN_MFA"],
      UserPoolTier: "PLUS",
      UserPoolAddOns: { AdvancedSecurityMode: "ENFORCED" },
    });
  });

  it("signs the console in with the authorization code flow only, back to the console's URL", () => {
    const consoleUrl = {
      "Fn::Join": [
        "",
        [
          "https://",
          { "Fn::GetAtt": [Match.stringLikeRegexp("^ConsoleDistribution"), "DomainName"] },
          "/console/",
        ],
      ],
    };
    template.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      AllowedOAuthFlows: ["code"],
      GenerateSecret: false,
      ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      PreventUserExistenceErrors: "ENABLED",
      CallbackURLs: [consoleUrl],
      LogoutURLs: [consoleUrl],
    });
    staged.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      CallbackURLs: [Match.anyValue(), "https://console.uclg.example.org/console/"],
    });
  });

  it("serves the console from a private, TLS-only bucket through CloudFront over HTTPS, and says where", () => {
    for (const { Properties } of resources("AWS::S3::Bucket")) {
      expect(Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
    template.hasResourceProperties("AWS::S3::BucketPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
    template.resourceCountIs("AWS::CloudFront::OriginAccessControl", 1);
    template.hasResourceProperties("AWS::CloudFront::Distribution", {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: "redirect-to-https" }),
        Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue() })],
      }),
    });
    template.hasResourceProperties("Custom::CDKBucketDeployment", { DestinationBucketKeyPrefix: "console/" });
    template.hasOutput("ConsoleUrl", {});
  });

  it("answers the console's origin (CORS) and logs each request as JSON with the client's IP", () => {
    template.hasResourceProperties("AWS::ApiGatewayV2::Api", {
      CorsConfiguration: Match.objectLike({
        AllowOrigins: [{ "Fn::Join": ["", ["https://", Match.anyValue()]] }],
        AllowHeaders: ["authorization", "content-type"],
      }),
    });
    const [stage] = resources("AWS::ApiGatewayV2::Stage");
    const settings = stage?.Properties.AccessLogSettings as { Format: string } | undefined;
    const format = JSON.parse(settings?.Format ?? "{}") as Record<string, string>;
    expect(format).toMatchObject({ ip: "$context.identity.sourceIp", status: "$context.status" });
    expect(stage?.Properties.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: expect.any(Number),
      ThrottlingBurstLimit: expect.any(Number),
    });
  });

  it("creates the sending domain's identity with Easy DKIM and a MAIL FROM domain, and prints its DNS records", () => {
    template.hasResourceProperties("AWS::SES::EmailIdentity", {
      EmailIdentity: "example.org",
      MailFromAttributes: { MailFromDomain: "bounce.example.org" },
    });
    // Easy DKIM is SES's default for a domain identity: no key of our own is given.
    const [identity] = resources("AWS::SES::EmailIdentity");
    expect(identity?.Properties.DkimSigningAttributes).toBeUndefined();
    const records = JSON.stringify(template.findOutputs("SesDnsRecords"));
    for (const expected of [
      "DkimDNSTokenName1",
      "bounce.example.org MX 10 feedback-smtp.",
      "v=spf1 include:amazonses.com",
    ])
      expect(records).toContain(expected);
  });

  it("publishes SES bounces and complaints of the configuration set it creates to the default bus, with reputation metrics", () => {
    template.hasResourceProperties("AWS::SES::ConfigurationSet", {
      ReputationOptions: { ReputationMetricsEnabled: true },
    });
    template.hasResourceProperties("AWS::SES::ConfigurationSetEventDestination", {
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: Match.arrayEquals(["send", "bounce", "complaint"]),
        EventBridgeDestination: {
          EventBusArn: {
            "Fn::Join": ["", Match.arrayWith([Match.stringLikeRegexp(":event-bus/default$")])],
          },
        },
      }),
    });
  });

  it("passes the rate limit given by context to the rate-limited public POST functions only (not the one-click unsubscribe)", () => {
    const limits = resourcesOf(staged, "AWS::Lambda::Function")
      .map(({ Properties }) => ({
        name: String(Properties.FunctionName ?? ""),
        limit: (Properties.Environment as { Variables: Record<string, unknown> }).Variables
          .CONVENE_REGISTRATION_RATE_LIMIT,
      }))
      .filter(({ limit }) => limit !== undefined);

    expect(limits.map(({ name }) => name.replace(/^convene-dev-/, "")).sort()).toEqual([
      "cancel-registration",
      "erase-my-data",
      "register",
    ]);
    expect(new Set(limits.map(({ limit }) => limit))).toEqual(new Set(["30"]));
  });

  it("uses an identity and a configuration set given by context as they are", () => {
    staged.resourceCountIs("AWS::SES::ConfigurationSet", 0);
    staged.resourceCountIs("AWS::SES::ConfigurationSetEventDestination", 0);
    staged.resourceCountIs("AWS::SES::EmailIdentity", 0);
    const environments = resourcesOf(staged, "AWS::Lambda::Function").map(
      ({ Properties }) => (Properties.Environment as { Variables: Record<string, unknown> }).Variables,
    );
    expect(environments).toContainEqual(
      expect.objectContaining({
        SENDER_EMAIL: "webinars@uclg.example.org",
        SENDER_NAME: "UCLG and UNICEF webinars",
        SES_CONFIGURATION_SET: "existing-set",
        POWERTOOLS_LOG_LEVEL: "DEBUG",
      }),
    );
  });

  it("warns that a configuration set given by context must publish SEND, BOUNCE and COMPLAINT to the bus", () => {
    expect(stagedWarnings).toContainEqual(
      expect.stringMatching(/"existing-set" is used as it is: it must publish SEND, BOUNCE and COMPLAINT/),
    );
    expect(warnings).not.toContainEqual(expect.stringMatching(/configuration set/));
  });

  it("suffixes every physical name with the stage", () => {
    expect(stagedStackName).toBe("Convene-dev");
    staged.hasResourceProperties("AWS::DynamoDB::GlobalTable", { TableName: "convene-dev" });
    staged.hasResourceProperties("AWS::Events::EventBus", { Name: "convene-dev" });
    staged.hasResourceProperties("AWS::Cognito::UserPool", { UserPoolName: "convene-dev-organisers" });
    staged.hasResourceProperties("AWS::SQS::Queue", { QueueName: "convene-dev-dead-letters" });
    staged.hasResourceProperties("AWS::SNS::Topic", { TopicName: "convene-dev-alarms" });
    staged.hasResourceProperties("AWS::CloudWatch::Dashboard", { DashboardName: "convene-dev" });
    const names = resourcesOf(staged, "AWS::Lambda::Function").map(
      ({ Properties }) => Properties.FunctionName,
    );
    for (const spec of functions) expect(names).toContain(`convene-dev-${spec.name}`);
    for (const spec of functions.filter(queued))
      staged.hasResourceProperties("AWS::SQS::Queue", { QueueName: `convene-dev-${spec.name}` });
  });

  it("bakes no region into the template when none is configured", async () => {
    expect(JSON.stringify(template.toJSON())).not.toMatch(/us-east-1|eu-west-1/);
    // The CDK CLI sets CDK_DEFAULT_REGION to us-east-1 when nothing is configured: it is not trusted.
    const changed = {
      CDK_DEFAULT_REGION: "us-east-1",
      AWS_CONFIG_FILE: "/nonexistent",
      AWS_PROFILE: "none",
      AWS_REGION: undefined,
      AWS_DEFAULT_REGION: undefined,
    };
    const saved = Object.fromEntries(Object.keys(changed).map((key) => [key, process.env[key]]));
    const apply = (values: Record<string, string | undefined>) => {
      for (const [key, value] of Object.entries(values)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    };
    apply(changed);
    try {
      expect(await deploymentEnvironment({}, process.env)).toEqual({});
      expect(await deploymentEnvironment({}, { ...process.env, AWS_REGION: "eu-west-3" })).toEqual({
        region: "eu-west-3",
      });
      expect(
        await deploymentEnvironment({ region: "eu-south-1", account: "123456789012" }, process.env),
      ).toEqual({ region: "eu-south-1", account: "123456789012" });
    } finally {
      apply(saved);
    }
  });

  it("stops on an invalid context key, naming it", () => {
    expect(() => synthesize({ stage: "Prod 2" })).toThrow(/-c stage: lower-case letters/);
    expect(() => synthesize({ senderEmail: "webinars" })).toThrow(/-c senderEmail/);
    expect(() => synthesize({ callbackUrls: "http://insecure.example.org/" })).toThrow(/-c callbackUrls/);
  });

  it("archives the bus's events for 30 days", () => {
    template.hasResourceProperties("AWS::Events::Archive", {
      SourceArn: { "Fn::GetAtt": [Match.stringLikeRegexp("^Bus"), "Arn"] },
      RetentionDays: 30,
    });
  });
});

describe("alarms and dashboard", () => {
  const alarms = () =>
    new Map(
      resources("AWS::CloudWatch::Alarm").map(({ Properties }) => [String(Properties.AlarmName), Properties]),
    );

  it("notify one SNS topic, which mails the alarm address given by context", () => {
    template.resourceCountIs("AWS::SNS::Topic", 1);
    template.resourceCountIs("AWS::SNS::Subscription", 0);
    staged.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "oncall@uclg.example.org",
    });
    for (const alarm of alarms().values())
      expect(alarm.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^MonitoringAlarms/) }]);
  });

  it("watch dead letters, each function's errors and throttles, and the API's 5xx rate", () => {
    const byName = alarms();
    expect(byName.get("convene-dead-letters")).toMatchObject({
      MetricName: "ApproximateNumberOfMessagesVisible",
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
    });
    for (const spec of functions) {
      expect(byName.get(`convene-${spec.name}-errors`), spec.name).toMatchObject({ MetricName: "Errors" });
      expect(byName.get(`convene-${spec.name}-throttles`), spec.name).toMatchObject({
        MetricName: "Throttles",
      });
    }
    const api = byName.get("convene-api-5xx-rate");
    expect(JSON.stringify(api?.Metrics)).toContain('"MetricName":"5xx"');
  });

  it("watch failed rule deliveries, DynamoDB throttling, SES reputation and the reminders tick", () => {
    const byName = alarms();
    for (const spec of functions.filter((candidate) => candidate.rule))
      expect(byName.get(`convene-${spec.name}-failed-deliveries`), spec.name).toMatchObject({
        MetricName: "FailedInvocations",
      });
    expect(JSON.stringify(byName.get("convene-table-throttled")?.Metrics)).toContain("ThrottledRequests");
    expect(byName.get("convene-ses-bounce-rate")).toMatchObject({
      MetricName: "Reputation.BounceRate",
      Threshold: bounceRateThreshold,
    });
    expect(bounceRateThreshold).toBe(0.02);
    expect(byName.get("convene-ses-complaint-rate")).toMatchObject({
      MetricName: "Reputation.ComplaintRate",
      Threshold: complaintRateThreshold,
    });
    expect(complaintRateThreshold).toBe(0.0005);
    expect(byName.get("convene-reminders-tick-missing")).toMatchObject({
      MetricName: "Invocations",
      ComparisonOperator: "LessThanThreshold",
      Threshold: 1,
      EvaluationPeriods: 5,
      TreatMissingData: "breaching",
    });
  });

  it("watch each consumer queue for an event waiting more than 15 minutes", () => {
    const byName = alarms();
    for (const spec of functions.filter(queued))
      expect(byName.get(`convene-${spec.name}-queue-age`), spec.name).toMatchObject({
        Namespace: "AWS/SQS",
        MetricName: "ApproximateAgeOfOldestMessage",
        Dimensions: [
          { Name: "QueueName", Value: { "Fn::GetAtt": [expect.stringMatching(/queue/), "QueueName"] } },
        ],
        Statistic: "Maximum",
        Threshold: 15 * 60,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
      });
    expect([...byName.keys()].filter((name) => name.endsWith("-queue-age"))).toHaveLength(
      functions.filter(queued).length,
    );
  });

  it("are on a dashboard", () => {
    const [dashboard] = resources("AWS::CloudWatch::Dashboard");
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    for (const metric of [
      "Errors",
      "5xx",
      "FailedInvocations",
      "Reputation.BounceRate",
      "ApproximateNumberOfMessagesVisible",
      ...(functions.some(queued) ? ["ApproximateAgeOfOldestMessage"] : []),
    ])
      expect(body).toContain(metric);
  });
});

describe("cdk-nag", () => {
  it("finds nothing unacknowledged in the app (AWS Solutions and Serverless packs), in either shape", () => {
    expect(nagFindings(app)).toEqual([]);
    expect(nagFindings(stagedApp)).toEqual([]);
  });

  it("does find what it should: a bucket without logs or TLS", () => {
    const probe = new App();
    new Bucket(new Stack(probe, "Probe"), "Unguarded");
    expect(nagFindings(probe).join("\n")).toMatch(
      /AwsSolutions-S1[\s\S]*AwsSolutions-S10|AwsSolutions-S10[\s\S]*AwsSolutions-S1/,
    );
  });
});
