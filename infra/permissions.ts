import type { ITableV2 } from "aws-cdk-lib/aws-dynamodb";
import type { IEventBus } from "aws-cdk-lib/aws-events";
import { Effect, type IGrantable, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { keys, tableDefinition } from "../shared/aws/table.ts";
import type { Access, TableAction } from "./wiring.ts";

const readActions: readonly TableAction[] = ["GetItem", "BatchGetItem", "Query"];
const itemActions: readonly TableAction[] = [
  ...readActions,
  "PutItem",
  "UpdateItem",
  "DeleteItem",
  "BatchWriteItem",
  "ConditionCheckItem",
];

/** The DynamoDB actions an entry of the wiring list is granted (never Scan, never a stream read). */
export function tableActionsOf(access: Access): readonly TableAction[] {
  if (access.table === undefined) return [];
  if (access.table === "read") return readActions;
  if (access.table === "readWrite") return itemActions;
  return access.table;
}

/**
 * What each side of the token-signing key may do with its item: verifying reads it; signing reads
 * it and creates it once (a conditional PutItem, by whoever signs first).
 */
const signingKeyActions = { sign: ["GetItem", "PutItem"], verify: ["GetItem"] } as const;

const signingKeyPartition = keys.tokenKey().pk;

export interface MailGrant {
  /** ARNs of the SES identity mail is sent from and of the configuration set. */
  resources: string[];
  senderEmail: string;
}

/**
 * Grants one function exactly what its wiring entry declares:
 *
 * - the table's item actions its code sends, on the table and (for Query) on its indexes, limited
 *   to its partitions (`dynamodb:LeadingKeys`) when the entry names them;
 * - the token-signing key: the key is an item of the table (the same code runs locally, with no
 *   key store to emulate), so keeping it from the functions that neither sign nor verify takes an
 *   explicit Deny on its partition. A Deny wins over any Allow, including a future wider grant,
 *   which an Allow narrowed by conditions would not; signers may read and create it, verifiers
 *   only read it, nobody may update or delete it;
 * - `events:PutEvents` on Convene's bus;
 * - `ses:SendRawEmail` on the sender identity and the configuration set, only as the sender
 *   address (`ses:FromAddress`), and `ses:GetSendQuota` (pacing at the account's send rate).
 */
export function grantAccess(
  fn: IGrantable,
  access: Access,
  resources: { table: ITableV2; bus: IEventBus; mail: MailGrant },
): void {
  const { table, bus, mail } = resources;
  const actions = tableActionsOf(access);
  if (actions.length > 0) {
    const indexArns = tableDefinition.globalSecondaryIndexes.map(
      (index) => `${table.tableArn}/index/${index.indexName}`,
    );
    fn.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: actions.map((action) => `dynamodb:${action}`),
        resources: [table.tableArn, ...(actions.includes("Query") ? indexArns : [])],
        ...(access.partitions && {
          conditions: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [...access.partitions] } },
        }),
      }),
    );
  }
  const keyActions: readonly string[] = access.signingKey ? signingKeyActions[access.signingKey] : [];
  if (access.signingKey) {
    fn.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: keyActions.map((action) => `dynamodb:${action}`),
        resources: [table.tableArn],
        conditions: { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": [signingKeyPartition] } },
      }),
    );
  }
  if (actions.length > 0 || access.signingKey) {
    fn.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.DENY,
        actions: itemActions.filter((action) => !keyActions.includes(action)).map((a) => `dynamodb:${a}`),
        resources: [table.tableArn],
        conditions: { "ForAnyValue:StringEquals": { "dynamodb:LeadingKeys": [signingKeyPartition] } },
      }),
    );
  }
  if (access.bus) bus.grantPutEventsTo(fn);
  if (access.mail) {
    fn.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ["ses:SendRawEmail"],
        resources: mail.resources,
        conditions: { StringEquals: { "ses:FromAddress": mail.senderEmail } },
      }),
    );
    // GetSendQuota has no resource to scope to.
    fn.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ["ses:GetSendQuota"], resources: ["*"] }),
    );
  }
}
