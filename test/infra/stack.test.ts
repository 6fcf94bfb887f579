import { isDeepStrictEqual } from "node:util";
import { App } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { ConveneStack } from "../../infra/stack.ts";
import { functions } from "../../infra/wiring.ts";

let template: Template;

beforeAll(() => {
  // Bundling is skipped here: these tests look at the template; `cdk synth` proves the bundles.
  const app = new App({ context: { "aws:cdk:bundling-stacks": [] } });
  const stack = new ConveneStack(app, "Test", { senderEmail: "webinars@example.org" });
  template = Template.fromStack(stack);
});

type Resource = { Properties: Record<string, unknown> };
const resources = (type: string) => Object.values(template.findResources(type)) as Resource[];

describe("the AWS stack", () => {
  it("has one on-demand table with point-in-time recovery and a TTL attribute", () => {
    template.resourceCountIs("AWS::DynamoDB::GlobalTable", 1);
    template.hasResourceProperties("AWS::DynamoDB::GlobalTable", {
      BillingMode: "PAY_PER_REQUEST",
      TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
      Replicas: [
        Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
      ],
    });
  });

  it("runs every function on Node.js 22 or newer, ARM64, with a log retention and a dead-letter queue", () => {
    const lambdas = resources("AWS::Lambda::Function");

    expect(lambdas).toHaveLength(functions.length);
    for (const { Properties } of lambdas) {
      expect(Number(/^nodejs(\d+)\.x$/.exec(String(Properties.Runtime))?.[1])).toBeGreaterThanOrEqual(22);
      expect(Properties.Architectures).toEqual(["arm64"]);
      expect(Properties.DeadLetterConfig).toBeDefined();
    }
    for (const { Properties } of resources("AWS::Logs::LogGroup"))
      expect(Properties.RetentionInDays).toBeGreaterThan(0);
  });

  it("guards /admin routes with the organisers' JWT authorizer and leaves public routes open", () => {
    template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", { AuthorizerType: "JWT" });
    template.hasResourceProperties("AWS::Cognito::UserPool", {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
    for (const { Properties } of resources("AWS::ApiGatewayV2::Route")) {
      const isAdmin = String(Properties.RouteKey).split(" ")[1]?.startsWith("/admin/");
      expect(Properties.AuthorizationType, String(Properties.RouteKey)).toBe(isAdmin ? "JWT" : "NONE");
    }
  });

  it("publishes SES bounces and complaints of the configuration set it creates to the default bus", () => {
    template.hasResourceProperties("AWS::SES::ConfigurationSetEventDestination", {
      ConfigurationSetName: { Ref: Match.stringLikeRegexp("^MailConfiguration") },
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: Match.arrayEquals(["bounce", "complaint"]),
        EventBridgeDestination: {
          EventBusArn: {
            "Fn::Join": ["", Match.arrayWith([Match.stringLikeRegexp(":event-bus/default$")])],
          },
        },
      }),
    });
  });

  it("adds no event destination to a configuration set given by context", () => {
    const app = new App({ context: { "aws:cdk:bundling-stacks": [] } });
    const stack = new ConveneStack(app, "Given", {
      senderEmail: "webinars@example.org",
      sesConfigurationSet: "existing-set",
    });
    const given = Template.fromStack(stack);

    given.resourceCountIs("AWS::SES::ConfigurationSet", 0);
    given.resourceCountIs("AWS::SES::ConfigurationSetEventDestination", 0);
  });

  it("throttles the API", () => {
    template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      StageName: "$default",
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
    });
  });
});

describe("the wiring list", () => {
  it("is what the template deploys: every route, rule and schedule, nothing more", () => {
    const routeKeys = resources("AWS::ApiGatewayV2::Route").map(({ Properties }) => Properties.RouteKey);
    const expectedRouteKeys = functions.flatMap((spec) =>
      (spec.routes ?? []).map((r) => `${r.method} ${r.path}`),
    );
    expect(routeKeys.sort()).toEqual(expectedRouteKeys.sort());

    const rules = resources("AWS::Events::Rule");
    const patterns = rules.flatMap(({ Properties }) =>
      Properties.EventPattern ? [Properties.EventPattern] : [],
    );
    expect(patterns).toEqual(
      expect.arrayContaining(functions.flatMap((spec) => (spec.rule ? [spec.rule] : []))),
    );
    expect(patterns).toHaveLength(functions.filter((spec) => spec.rule).length);

    const schedules = rules.flatMap(({ Properties }) =>
      Properties.ScheduleExpression ? [Properties.ScheduleExpression] : [],
    );
    expect(schedules.sort()).toEqual(
      functions
        .flatMap((spec) =>
          spec.schedule
            ? [`rate(${spec.schedule.everyMinutes} minute${spec.schedule.everyMinutes > 1 ? "s" : ""})`]
            : [],
        )
        .sort(),
    );
    for (const rule of rules) {
      for (const target of rule.Properties.Targets as { DeadLetterConfig?: unknown }[]) {
        expect(target.DeadLetterConfig).toBeDefined();
      }
    }
  });

  it("puts each rule on its bus: the default one where the list says so (SES feedback), else Convene's", () => {
    const rules = resources("AWS::Events::Rule").filter(({ Properties }) => Properties.EventPattern);
    for (const spec of functions.filter((candidate) => candidate.rule)) {
      const rule = rules.find(({ Properties }) => isDeepStrictEqual(Properties.EventPattern, spec.rule));
      const expected = spec.bus === "default" ? "default" : { Ref: expect.stringMatching(/^Bus/) };
      expect(rule?.Properties.EventBusName, spec.name).toEqual(expected);
    }
    const feedback = rules.filter(({ Properties }) =>
      (Properties.EventPattern as { source?: string[] }).source?.includes("aws.ses"),
    );
    expect(feedback).toHaveLength(1);
    expect(feedback[0]?.Properties.EventBusName).toBe("default");
    expect(feedback[0]?.Properties.EventPattern).toMatchObject({
      "detail-type": expect.arrayContaining(["Email Bounced", "Email Complaint Received"]),
    });
  });

  it("gives each function the table, bus and mail access it declares, and no more", () => {
    const policies = resources("AWS::IAM::Policy");
    for (const spec of functions) {
      const roleId = new RegExp(`^${spec.name.replace(/-/g, "")}ServiceRole[0-9A-F]{8}$`);
      const statements = policies
        .filter(({ Properties }) =>
          (Properties.Roles as { Ref: string }[]).some((role) => roleId.test(role.Ref)),
        )
        .flatMap(
          ({ Properties }) =>
            (Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement,
        )
        .flatMap((statement) => [statement.Action].flat());
      expect(
        statements.some((action) => action.startsWith("dynamodb:Put")),
        spec.name,
      ).toBe(spec.access.table === "readWrite");
      expect(
        statements.some((action) => action.startsWith("dynamodb:Get")),
        spec.name,
      ).toBe(spec.access.table !== undefined);
      expect(statements.includes("events:PutEvents"), spec.name).toBe(spec.access.bus === true);
      expect(statements.includes("ses:SendRawEmail"), spec.name).toBe(spec.access.mail === true);
    }
  });
});
