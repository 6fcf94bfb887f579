import { Duration } from "aws-cdk-lib";
import type { IHttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  SingleValueWidget,
  TextWidget,
  TreatMissingData,
} from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { Operation, type TableV2 } from "aws-cdk-lib/aws-dynamodb";
import type { IRule } from "aws-cdk-lib/aws-events";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { acknowledge } from "./acknowledge.ts";

/** SES reviews an account at 5 % bounces / 0.1 % complaints and may pause it at 10 % / 0.5 %: warn well before. */
export const bounceRateThreshold = 0.02;
export const complaintRateThreshold = 0.0005;

export interface MonitoringProps {
  /** Stage-suffixed base of physical names, e.g. `convene-dev`. */
  baseName: string;
  functions: readonly { name: string; fn: IFunction }[];
  /** The functions on the table's stream (the outbox relay): their iterator age says if they fall behind. */
  streamConsumers: readonly { name: string; fn: IFunction }[];
  /** The queues of the consumers that take their rule's events in batches, named after them. */
  queues: readonly { name: string; queue: IQueue }[];
  /** The schedule that must run every minute (the reminders tick). */
  tick: IFunction;
  api: IHttpApi;
  /** Each rule, named after its target, with the bus it is on (`undefined` for the account's default bus). */
  rules: readonly { name: string; rule: IRule; busName?: string }[];
  table: TableV2;
  deadLetters: IQueue;
  /** Powertools' custom metrics: namespace and service dimension. */
  metricsNamespace: string;
  serviceName: string;
  alarmEmail?: string;
}

const fiveMinutes = Duration.minutes(5);
const oneMinute = Duration.minutes(1);

/**
 * Alarms on what means someone must look (to one SNS topic, mailed to `alarmEmail` when given)
 * and a dashboard of the same metrics: dead letters, function errors and throttles, the API's 5xx
 * rate, failed rule deliveries, the age of consumer queues, DynamoDB throttling, SES reputation,
 * and the reminders tick.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new Topic(this, "Alarms", {
      topicName: `${props.baseName}-alarms`,
      displayName: `Convene alarms (${props.baseName})`,
      enforceSSL: true,
    });
    if (props.alarmEmail) {
      this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
      acknowledge(this.topic, [
        {
          id: "Serverless-SNSRedrivePolicy",
          reason:
            "The alarm mail subscription: a notification SNS fails to mail is not lost, since the alarm stays in ALARM on the dashboard; a dead-letter queue of alarm mails would have nobody reading it.",
        },
      ]);
    }
    const notify = new SnsAction(this.topic);
    const alarm = (
      name: string,
      metric: IMetric,
      options: { threshold: number; description: string; breachingWhenMissing?: boolean; periods?: number },
    ) => {
      const created = new Alarm(this, name, {
        alarmName: `${props.baseName}-${name}`,
        alarmDescription: options.description,
        metric,
        threshold: options.threshold,
        comparisonOperator: options.breachingWhenMissing
          ? ComparisonOperator.LESS_THAN_THRESHOLD
          : ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: options.periods ?? 1,
        treatMissingData: options.breachingWhenMissing
          ? TreatMissingData.BREACHING
          : TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(notify);
      created.addOkAction(notify);
      return created;
    };

    const deadLetters = props.deadLetters.metricApproximateNumberOfMessagesVisible({
      period: oneMinute,
      statistic: "Maximum",
    });
    alarm("dead-letters", deadLetters, {
      threshold: 1,
      description:
        "A message is in the dead-letter queue: a step failed every retry. `convene dead-letters list`, fix, then `convene dead-letters redrive`.",
    });

    for (const { name, fn } of props.functions) {
      alarm(`${name}-errors`, fn.metricErrors({ period: fiveMinutes, statistic: "Sum" }), {
        threshold: 1,
        description: `${name} failed (an unhandled error, a timeout or a crash); its log group has the lines.`,
      });
      alarm(`${name}-throttles`, fn.metricThrottles({ period: fiveMinutes, statistic: "Sum" }), {
        threshold: 1,
        description: `${name} was throttled: the account's Lambda concurrency is exhausted.`,
      });
    }

    for (const { name, fn } of props.streamConsumers) {
      const iteratorAge = fn.metric("IteratorAge", { period: fiveMinutes, statistic: "Maximum" });
      alarm(`${name}-iterator-age`, iteratorAge, {
        threshold: 5 * 60_000,
        description: `${name} is more than 5 minutes behind the table's stream: the bus may be refusing events; the sweeper relays outbox items meanwhile, check ${name}'s log group.`,
      });
    }

    const queueAges = props.queues.map(({ name, queue }) => ({
      name,
      metric: queue.metricApproximateAgeOfOldestMessage({ period: fiveMinutes, statistic: "Maximum" }),
    }));
    for (const { name, metric } of queueAges) {
      alarm(`${name}-queue-age`, metric, {
        threshold: 15 * 60,
        description: `An event has waited more than 15 minutes in ${name}'s queue: ${name} fails it (each failing event comes back after the queue's visibility timeout, then goes to the dead-letter queue after 5 receives), is throttled, has its event source mapping disabled, or falls behind. Check ${name}'s log group and its mapping.`,
      });
    }

    const apiRequests = apiMetric(props.api, "Count");
    const api5xx = apiMetric(props.api, "5xx");
    const api5xxRate = new MathExpression({
      expression: "IF(requests > 0, 100 * errors / requests, 0)",
      usingMetrics: { requests: apiRequests, errors: api5xx },
      label: "API 5xx (% of requests)",
      period: fiveMinutes,
    });
    alarm("api-5xx-rate", api5xxRate, {
      threshold: 1,
      description: "At least 1 % of the API's requests answered 5xx over 5 minutes.",
    });

    const failedDeliveries = props.rules.map(({ name, rule, busName }) => ({
      name,
      metric: new Metric({
        namespace: "AWS/Events",
        metricName: "FailedInvocations",
        // A rule of a custom bus is measured under both names; one of the default bus under its name only.
        dimensionsMap: { RuleName: rule.ruleName, ...(busName && { EventBusName: busName }) },
        statistic: "Sum",
        period: fiveMinutes,
      }),
    }));
    for (const { name, metric } of failedDeliveries) {
      alarm(`${name}-failed-deliveries`, metric, {
        threshold: 1,
        description:
          "EventBridge could not deliver an event to its target (sent to the dead-letter queue, see that alarm).",
      });
    }

    const throttled = props.table.metricThrottledRequestsForOperations({
      operations: [
        Operation.GET_ITEM,
        Operation.BATCH_GET_ITEM,
        Operation.QUERY,
        Operation.PUT_ITEM,
        Operation.UPDATE_ITEM,
        Operation.DELETE_ITEM,
        Operation.BATCH_WRITE_ITEM,
        Operation.TRANSACT_WRITE_ITEMS,
      ],
      period: fiveMinutes,
    });
    alarm("table-throttled", throttled, {
      threshold: 1,
      description: "DynamoDB throttled requests to the table.",
    });

    // Account-level reputation metrics: what SES itself reviews.
    const bounceRate = new Metric({
      namespace: "AWS/SES",
      metricName: "Reputation.BounceRate",
      statistic: "Maximum",
      period: fiveMinutes,
    });
    const complaintRate = new Metric({
      namespace: "AWS/SES",
      metricName: "Reputation.ComplaintRate",
      statistic: "Maximum",
      period: fiveMinutes,
    });
    alarm("ses-bounce-rate", bounceRate, {
      threshold: bounceRateThreshold,
      description:
        "SES bounce rate at 2 % or more (SES reviews the account at 5 %, may pause sending at 10 %). Check the lists mailed.",
    });
    alarm("ses-complaint-rate", complaintRate, {
      threshold: complaintRateThreshold,
      description:
        "SES complaint rate at 0.05 % or more (SES reviews the account at 0.1 %, may pause sending at 0.5 %).",
    });

    const ticks = props.tick.metricInvocations({ period: oneMinute, statistic: "Sum" });
    alarm("reminders-tick-missing", ticks, {
      threshold: 1,
      periods: 5,
      breachingWhenMissing: true,
      description: "The reminders tick has not run for 5 minutes: no reminder goes out.",
    });

    this.dashboard = new Dashboard(this, "Dashboard", {
      dashboardName: props.baseName,
      defaultInterval: Duration.days(1),
    });
    const lambdaMetric = (metricName: string, statistic: string) =>
      props.functions.map(({ name, fn }) =>
        fn.metric(metricName, { statistic, label: name, period: fiveMinutes }),
      );
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Convene (${props.baseName})\nAlarms go to the SNS topic \`${props.baseName}-alarms\`. Dead letters: \`convene dead-letters list\`. Logs: CloudWatch Logs Insights on \`/aws/lambda/${props.baseName}-*\`, e.g. \`filter registrationId = "…"\`.`,
        width: 24,
        height: 2,
      }),
      new SingleValueWidget({ title: "Dead letters", metrics: [deadLetters], width: 6 }),
      new SingleValueWidget({
        title: "SES reputation (bounce, complaint)",
        metrics: [bounceRate, complaintRate],
        width: 9,
      }),
      new SingleValueWidget({ title: "Reminders tick (last minute)", metrics: [ticks], width: 9 }),
      new GraphWidget({
        title: "API requests and 5xx",
        left: [apiRequests, api5xx],
        right: [api5xxRate],
        width: 12,
      }),
      new GraphWidget({
        title: "API latency (p50, p99)",
        left: [apiMetric(props.api, "Latency", "p50"), apiMetric(props.api, "Latency", "p99")],
        width: 12,
      }),
      new GraphWidget({ title: "Function errors", left: lambdaMetric("Errors", "Sum"), width: 12 }),
      new GraphWidget({ title: "Function throttles", left: lambdaMetric("Throttles", "Sum"), width: 12 }),
      new GraphWidget({ title: "Function duration (p99)", left: lambdaMetric("Duration", "p99"), width: 12 }),
      new GraphWidget({
        title: "Bus: failed deliveries per rule",
        left: failedDeliveries.map(({ metric }) => metric),
        width: 12,
      }),
      new GraphWidget({ title: "DynamoDB throttled requests", left: [throttled], width: 12 }),
      ...(queueAges.length > 0
        ? [
            new GraphWidget({
              title: "Consumer queues: age of the oldest event (s)",
              left: queueAges.map(({ name, metric }) => metric.with({ label: name })),
              width: 12,
            }),
          ]
        : []),
      new GraphWidget({
        title: "Convene: registrations, mails, steps (Powertools metrics)",
        left: [
          new MathExpression({
            expression: `SEARCH('{${props.metricsNamespace},service} service="${props.serviceName}"', 'Sum', 300)`,
            label: "",
            period: fiveMinutes,
          }),
        ],
        width: 12,
      }),
    );
  }
}

function apiMetric(api: IHttpApi, metricName: string, statistic = "Sum"): Metric {
  // HTTP APIs publish each metric per API (ApiId) and per stage; the API as a whole is enough here.
  return new Metric({
    namespace: "AWS/ApiGateway",
    metricName,
    dimensionsMap: { ApiId: api.apiId },
    statistic,
    period: fiveMinutes,
  });
}
