import { readFile } from "node:fs/promises";
import { isDeepStrictEqual } from "node:util";
import type { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { tableActionsOf } from "../../infra/permissions.ts";
import { redriveSource } from "../../infra/redrive.ts";
import { type FunctionSpec, functions, timeoutSecondsOf } from "../../infra/wiring.ts";
import { allFunctionCode, type FunctionCode } from "./function-code.ts";
import { synthesize } from "./synth.ts";

type Resource = { Properties: Record<string, unknown> };
type Statement = {
  Effect: "Allow" | "Deny";
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

let template: Template;
let code: Map<string, FunctionCode>;

beforeAll(async () => {
  ({ template } = synthesize());
  code = await allFunctionCode(functions);
});

const resources = (type: string) => Object.values(template.findResources(type)) as Resource[];

/** The function or queue (`AWS::Lambda::Function`, `AWS::SQS::Queue`) an `Fn::GetAtt` ARN points at. */
function typeOfArn(arn: unknown): { type: string; logicalId: string } {
  const [logicalId = ""] = (arn as { "Fn::GetAtt"?: string[] })["Fn::GetAtt"] ?? [];
  const all = template.toJSON().Resources as Record<string, { Type: string }>;
  return { type: all[logicalId]?.Type ?? "none", logicalId };
}
const compact = (spec: FunctionSpec) => spec.name.replace(/-/g, "");
/** A consumer that takes its rule's events through a queue, in batches. */
const isQueued = (spec: FunctionSpec) => Boolean(spec.rule && spec.queue);
/** What a consumer's rule and redrive rule deliver to: its queue when it is queued, else the function. */
const deliveryOf = (spec: FunctionSpec) =>
  isQueued(spec)
    ? { type: "AWS::SQS::Queue", logicalId: expect.stringMatching(new RegExp(`^${compact(spec)}queue`)) }
    : {
        type: "AWS::Lambda::Function",
        logicalId: expect.stringMatching(new RegExp(`^${compact(spec)}[0-9A-F]{8}$`)),
      };

/** The statements of the policies attached to a function's execution role. */
function statementsOf(spec: FunctionSpec): Statement[] {
  const roleId = new RegExp(`^${spec.name.replace(/-/g, "")}role[0-9A-F]{8}$`);
  return resources("AWS::IAM::Policy")
    .filter(({ Properties }) => (Properties.Roles as { Ref: string }[]).some((role) => roleId.test(role.Ref)))
    .flatMap(({ Properties }) => (Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}
const actionsOf = (statement: Statement) => [statement.Action].flat();
const tableActions = (statements: Statement[]) =>
  statements
    .filter((s) => s.Effect === "Allow")
    .flatMap(actionsOf)
    .filter((a) => a.startsWith("dynamodb:"));
/** What reading the table's stream takes (granted with an event source mapping). */
const isStreamRead = (action: string) =>
  /^dynamodb:(GetRecords|GetShardIterator|DescribeStream|ListStreams)$/.test(action);
const isRedrive = (pattern: unknown) =>
  (pattern as { source?: string[] } | undefined)?.source?.includes(redriveSource) === true;

describe("the wiring list", () => {
  it("is what the template deploys: every route, rule and schedule, nothing more", () => {
    const routeKeys = resources("AWS::ApiGatewayV2::Route").map(({ Properties }) => Properties.RouteKey);
    const expectedRouteKeys = functions.flatMap((spec) =>
      (spec.routes ?? []).map((r) => `${r.method} ${r.path}`),
    );
    expect(routeKeys.sort()).toEqual(expectedRouteKeys.sort());

    const rules = resources("AWS::Events::Rule");
    const patterns = rules.flatMap(({ Properties }) =>
      Properties.EventPattern && !isRedrive(Properties.EventPattern) ? [Properties.EventPattern] : [],
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

  it("puts each rule on its bus (the default one where the list says so, SES feedback, else Convene's), targeting its function or its queue", () => {
    const rules = resources("AWS::Events::Rule").filter(({ Properties }) => Properties.EventPattern);
    for (const spec of functions.filter((candidate) => candidate.rule)) {
      const rule = rules.find(({ Properties }) => isDeepStrictEqual(Properties.EventPattern, spec.rule));
      const expected = spec.bus === "default" ? "default" : { Ref: expect.stringMatching(/^Bus/) };
      expect(rule?.Properties.EventBusName, spec.name).toEqual(expected);
      const targets = (rule?.Properties.Targets ?? []) as { Arn: unknown }[];
      expect(
        targets.map(({ Arn }) => typeOfArn(Arn)),
        spec.name,
      ).toEqual([deliveryOf(spec)]);
    }
  });

  it("has a redrive rule per consumer, handing the original event (the detail) to that function only", () => {
    const redrives = resources("AWS::Events::Rule").filter(({ Properties }) =>
      isRedrive(Properties.EventPattern),
    );
    const consumers = functions.filter((spec) => spec.rule || spec.schedule);
    expect(redrives).toHaveLength(consumers.length);
    for (const spec of consumers) {
      const redrive = redrives.find(({ Properties }) =>
        isDeepStrictEqual(Properties.EventPattern, { source: [redriveSource], "detail-type": [spec.name] }),
      );
      expect(redrive?.Properties.EventBusName, spec.name).toEqual({ Ref: expect.stringMatching(/^Bus/) });
      const [target] = (redrive?.Properties.Targets ?? []) as { Arn: unknown; InputPath: string }[];
      expect(target?.InputPath).toBe("$.detail");
      // A queued consumer gets its redrives through its queue, so that it only ever receives SQS events.
      expect(typeOfArn(target?.Arn), spec.name).toEqual(deliveryOf(spec));
    }
  });
});

describe("least privilege from the wiring list", () => {
  it.each(functions.map((spec) => [spec.name, spec] as const))(
    "%s is granted the DynamoDB actions its code sends, and no others",
    (_name, spec) => {
      const used = code.get(spec.name);
      const declared = [...tableActionsOf(spec.access)].sort();
      expect(declared, `access.table of ${spec.name} in infra/wiring.ts`).toEqual(
        [...(used?.tableActions ?? [])].sort(),
      );
      const keyActions = { sign: ["GetItem", "PutItem"], verify: ["GetItem"], none: [] }[
        spec.access.signingKey ?? "none"
      ];
      expect(new Set(tableActions(statementsOf(spec)).filter((action) => !isStreamRead(action)))).toEqual(
        new Set([...declared, ...keyActions].map((action) => `dynamodb:${action}`)),
      );
    },
  );

  it("reads a Query's index only where the function queries", () => {
    for (const spec of functions) {
      const queries = statementsOf(spec).filter(
        (s) => s.Effect === "Allow" && actionsOf(s).includes("dynamodb:Query"),
      );
      for (const statement of queries) expect(JSON.stringify(statement.Resource)).toContain("/index/gsi1");
      const others = statementsOf(spec).filter(
        (s) =>
          s.Effect === "Allow" &&
          !actionsOf(s).includes("dynamodb:Query") &&
          actionsOf(s)[0]?.startsWith("dynamodb:"),
      );
      for (const statement of others) expect(JSON.stringify(statement.Resource)).not.toContain("/index/");
    }
  });

  it("lets only the functions that sign or verify tokens read the signing key, and only signers create it", () => {
    for (const spec of functions) {
      expect(spec.access.signingKey, `access.signingKey of ${spec.name}`).toBe(
        code.get(spec.name)?.signingKey,
      );
      const deny = statementsOf(spec).find((s) => s.Effect === "Deny");
      if (!spec.access.table && !spec.access.signingKey) {
        expect(deny, spec.name).toBeUndefined();
        continue;
      }
      expect(deny?.Condition, spec.name).toEqual({
        "ForAnyValue:StringEquals": { "dynamodb:LeadingKeys": ["CONFIG"] },
      });
      const denied = actionsOf(deny as Statement);
      expect(denied.includes("dynamodb:GetItem"), spec.name).toBe(spec.access.signingKey === undefined);
      expect(denied.includes("dynamodb:PutItem"), spec.name).toBe(spec.access.signingKey !== "sign");
      expect(denied).toEqual(expect.arrayContaining(["dynamodb:UpdateItem", "dynamodb:DeleteItem"]));
    }
  });

  it("limits functions that declare partitions to those partition keys", () => {
    const limited = functions.filter((spec) => spec.access.partitions);
    expect(limited.map((spec) => spec.name)).toEqual(
      expect.arrayContaining(["record-feedback", "unsubscribe", "unsubscribe-page"]),
    );
    for (const spec of limited) {
      const grant = statementsOf(spec).find(
        (s) =>
          s.Effect === "Allow" &&
          tableActions([s]).length > 0 &&
          !JSON.stringify(s.Condition).includes("CONFIG"),
      );
      expect(grant?.Condition, spec.name).toEqual({
        "ForAllValues:StringLike": { "dynamodb:LeadingKeys": spec.access.partitions },
      });
    }
  });

  it("grants no Scan and no wildcard action to anyone, and the stream's reads to its consumers only", () => {
    const all = resources("AWS::IAM::Policy").flatMap(
      ({ Properties }) => (Properties.PolicyDocument as { Statement: Statement[] }).Statement,
    );
    const actions = all.flatMap(actionsOf);
    expect(actions).not.toContain("dynamodb:Scan");
    expect(actions).not.toContain("dynamodb:*");
    expect(actions.filter((a) => a.endsWith(":*") || a === "*")).toEqual([]);
    for (const spec of functions) {
      const streamReads = statementsOf(spec)
        .filter((s) => s.Effect === "Allow")
        .flatMap(actionsOf)
        .filter(isStreamRead);
      expect(streamReads.length > 0, spec.name).toBe(spec.stream !== undefined);
      for (const statement of statementsOf(spec).filter((s) => actionsOf(s).some(isStreamRead))) {
        expect(JSON.stringify(statement.Resource), spec.name).toContain("StreamArn");
      }
    }
  });

  it("invokes each stream consumer from the table's stream, filtered as the wiring list says", () => {
    const mappings = resources("AWS::Lambda::EventSourceMapping").filter(({ Properties }) =>
      JSON.stringify(Properties.EventSourceArn).includes("StreamArn"),
    );
    const consumers = functions.filter((spec) => spec.stream);
    expect(mappings).toHaveLength(consumers.length);
    for (const spec of consumers) {
      const mapping = mappings.find(({ Properties }) =>
        JSON.stringify(Properties.FunctionName).includes(spec.name.replace(/-/g, "")),
      );
      if (!mapping) throw new Error(`no event source mapping for ${spec.name}`);
      expect(JSON.stringify(mapping.Properties.EventSourceArn), spec.name).toContain("StreamArn");
      const { Filters } = mapping.Properties.FilterCriteria as { Filters: { Pattern: string }[] };
      expect(Filters.map((filter) => JSON.parse(filter.Pattern))).toEqual([spec.stream?.filter]);
      expect(mapping.Properties.DestinationConfig, spec.name).toBeDefined();
    }
  });

  it("gives bus and mail access to the functions that declare them, mail only from the sender on its identity", () => {
    for (const spec of functions) {
      const statements = statementsOf(spec);
      const actions = statements.flatMap(actionsOf);
      expect(actions.includes("events:PutEvents"), spec.name).toBe(spec.access.bus === true);
      expect(actions.includes("ses:SendRawEmail"), spec.name).toBe(spec.access.mail === true);
      for (const statement of statements.filter((s) => actionsOf(s).includes("ses:SendRawEmail"))) {
        const arns = JSON.stringify(statement.Resource);
        expect(arns).toContain(":identity/example.org");
        expect(arns).toContain(":configuration-set/");
        expect(arns).not.toContain("identity/*");
        expect(statement.Condition).toEqual({ StringEquals: { "ses:FromAddress": "webinars@example.org" } });
      }
    }
  });

  it("gives every function X-Ray and its own log group, the queue only to consumers, and no AWS managed policy", () => {
    for (const spec of functions) {
      const actions = statementsOf(spec).flatMap(actionsOf);
      expect(actions, spec.name).toEqual(
        expect.arrayContaining(["xray:PutTraceSegments", "logs:PutLogEvents"]),
      );
      // Only asynchronously invoked functions and stream consumers (their batches given up on)
      // hand their failures to the dead-letter queue; a queued consumer's queue moves its own.
      expect(actions.includes("sqs:SendMessage"), spec.name).toBe(
        Boolean((spec.rule && !isQueued(spec)) || spec.schedule || spec.stream),
      );
      expect(actions.includes("sqs:ReceiveMessage"), spec.name).toBe(isQueued(spec));
    }
    const roles = resources("AWS::IAM::Role").filter(({ Properties }) =>
      JSON.stringify(Properties.AssumeRolePolicyDocument).includes("lambda.amazonaws.com"),
    );
    const ours = roles.filter(({ Properties }) =>
      String(Properties.Description ?? "").startsWith("Execution role of"),
    );
    expect(ours).toHaveLength(functions.length);
    for (const { Properties } of ours) expect(Properties.ManagedPolicyArns).toBeUndefined();
  });
});

describe("queued consumers (`queue` in the wiring list)", () => {
  const queued = functions.filter(isQueued);
  /** The consumer's queue, by its physical name: its logical id and properties. */
  const queueOf = (spec: FunctionSpec) => {
    const found = Object.entries(
      template.findResources("AWS::SQS::Queue", { Properties: { QueueName: `convene-${spec.name}` } }),
    ) as [string, Resource][];
    const [entry] = found;
    if (!entry) throw new Error(`no queue convene-${spec.name}`);
    return { logicalId: entry[0], properties: entry[1].Properties };
  };
  const queueArn = (spec: FunctionSpec) => ({ "Fn::GetAtt": [queueOf(spec).logicalId, "Arn"] });

  it("exist in the wiring list", () => {
    expect(queued.length, "a consumer with `queue` to check the stack against").toBeGreaterThan(0);
  });

  it.each(queued.map((spec) => [spec.name, spec] as const))(
    "%s has its own encrypted queue, TLS only, dead-lettered after 5 receives, out of sight 6× its timeout",
    (_name, spec) => {
      const { properties } = queueOf(spec);
      expect(properties).toMatchObject({
        SqsManagedSseEnabled: true,
        RedrivePolicy: {
          deadLetterTargetArn: { "Fn::GetAtt": [expect.stringMatching(/^DeadLetters/), "Arn"] },
          maxReceiveCount: 5,
        },
        MessageRetentionPeriod: 4 * 24 * 3600,
      });
      expect(properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeoutSecondsOf(spec));
      const statements = resources("AWS::SQS::QueuePolicy")
        .filter(({ Properties }) => isDeepStrictEqual(Properties.Queues, [{ Ref: queueOf(spec).logicalId }]))
        .flatMap(({ Properties }) => (Properties.PolicyDocument as { Statement: Statement[] }).Statement);
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: "Deny",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }),
      );
      // Its rule and its redrive rule may send to it, and nothing else on EventBridge's side.
      const fromRules = statements.filter(
        (s) => s.Effect === "Allow" && actionsOf(s).includes("sqs:SendMessage"),
      );
      expect(fromRules, spec.name).toHaveLength(2);
      for (const statement of fromRules)
        expect(JSON.stringify(statement.Condition), spec.name).toMatch(
          new RegExp(`"aws:SourceArn":\\{"Fn::GetAtt":\\["${compact(spec)}(rule|redrive)`),
        );
    },
  );

  it.each(queued.map((spec) => [spec.name, spec] as const))(
    "%s reads its queue in batches of the wiring's size and reports the records that failed",
    (_name, spec) => {
      const mappings = resources("AWS::Lambda::EventSourceMapping").filter(({ Properties }) =>
        isDeepStrictEqual(Properties.EventSourceArn, queueArn(spec)),
      );
      expect(mappings).toHaveLength(1);
      const [mapping] = mappings;
      expect(mapping?.Properties.FunctionName).toEqual({
        Ref: expect.stringMatching(new RegExp(`^${compact(spec)}[0-9A-F]{8}$`)),
      });
      expect(mapping?.Properties).toMatchObject({
        BatchSize: spec.queue?.batchSize,
        FunctionResponseTypes: ["ReportBatchItemFailures"],
      });
      // No batching window: a mail's event is not held back to fill a batch.
      expect(mapping?.Properties.MaximumBatchingWindowInSeconds).toBeUndefined();
    },
  );

  it.each(queued.map((spec) => [spec.name, spec] as const))(
    "%s's rule retries a failed delivery to the queue, then dead-letters it",
    (_name, spec) => {
      const rule = resources("AWS::Events::Rule").find(({ Properties }) =>
        isDeepStrictEqual(Properties.EventPattern, spec.rule),
      );
      expect(rule?.Properties.Targets).toEqual([
        expect.objectContaining({
          Arn: queueArn(spec),
          DeadLetterConfig: { Arn: { "Fn::GetAtt": [expect.stringMatching(/^DeadLetters/), "Arn"] } },
          RetryPolicy: expect.objectContaining({ MaximumRetryAttempts: 8 }),
        }),
      ]);
    },
  );
});

describe("the README", () => {
  it("lists every route of the wiring in its API table, as users and scripts look them up", async () => {
    const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
    const table = readme.slice(
      readme.indexOf("## The API"),
      readme.indexOf("\n## ", readme.indexOf("## The API") + 1),
    );
    const routes = functions.flatMap((spec) =>
      (spec.routes ?? []).map((route) => `${route.method} ${route.path}`),
    );

    // The route whole: followed by its closing backtick, its query or a space, not a longer path.
    const listed = (route: string) => [`\``, "?", " "].some((next) => table.includes(`| \`${route}${next}`));
    expect(routes.filter((route) => !listed(route))).toEqual([]);
  });
});
