import { readdir, readFile, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { Command, Option } from "commander";
import * as z from "zod";
import { localBusName } from "../../infra/local-names.ts";
import { redriveEntry } from "../../infra/redrive.ts";
import { functions } from "../../infra/wiring.ts";
import { CliError } from "../errors.ts";

/** An event whose delivery failed every retry, wherever it is kept. */
export interface DeadLetter {
  /** The SQS message id on AWS, the file name locally. */
  id: string;
  failedAt: Date;
  /** The function that failed, by its name in the wiring list. */
  target: string;
  event: z.infer<typeof envelopeSchema>;
  error: string;
}

/** Where dead letters are kept: the SQS queue on AWS, the data dir's folder locally. */
interface DeadLetterStore {
  describe: string;
  list(): Promise<DeadLetter[]>;
  /** Hands each letter back to its target (through the bus's redrive rule), then forgets it. */
  redrive(letters: readonly DeadLetter[]): Promise<void>;
  close(): void;
}

const envelopeSchema = z.looseObject({
  id: z.string(),
  "detail-type": z.string(),
  source: z.string(),
  detail: z.unknown(),
});

/** `convene dead-letters …`: events that failed every retry, and giving them back to their consumer. */
export function deadLettersCommand(): Command {
  return new Command("dead-letters")
    .description("see the events a consumer failed to handle, and hand them back once it is fixed")
    .addOption(
      new Option("--queue-url <url>", "the SQS dead-letter queue on AWS (the DeadLetterQueueUrl output)").env(
        "CONVENE_DEAD_LETTER_QUEUE_URL",
      ),
    )
    .addHelpText(
      "after",
      `
A step that fails every retry (a bug, a service down) is kept as a dead letter, with its event and
its error, and raises the dead-letter alarm on AWS. Read the error, fix the cause, then redrive:
the same event goes back to the same function, and only to it.

Without --queue-url, the dead letters of the local runtime (npm start) are used: the files of
<data dir>/dead-letters/, redriven through the running local bus (CONVENE_BUS_PORT, 4010).
On AWS the AWS CLI's credentials and the queue's region are used.

Examples:
  convene dead-letters list
  convene dead-letters redrive --all
  CONVENE_DEAD_LETTER_QUEUE_URL=https://sqs.eu-west-1.amazonaws.com/123456789012/convene-dead-letters \\
    convene dead-letters redrive 0c1d…`,
    )
    .addCommand(listCommand())
    .addCommand(redriveCommand());
}

function listCommand(): Command {
  return new Command("list")
    .description("list the dead letters, oldest first")
    .action(async (_options, command) => {
      await withStore(command, async (store) => {
        console.log(formatDeadLetters(await store.list(), store.describe));
      });
    });
}

function redriveCommand(): Command {
  return new Command("redrive")
    .description("hand dead letters back to the function that failed them")
    .argument("[ids...]", "the ids `list` shows")
    .option("--all", "every dead letter")
    .action(async (ids: string[], options: { all?: boolean }, command: Command) => {
      if (!options.all && ids.length === 0)
        throw new CliError("Name the dead letters to redrive, or give --all.");
      await withStore(command, async (store) => {
        const letters = await store.list();
        const chosen = options.all ? letters : letters.filter((letter) => ids.includes(letter.id));
        const unknown = ids.filter((id) => !letters.some((letter) => letter.id === id));
        if (unknown.length > 0)
          throw new CliError(`No dead letter ${unknown.join(", ")} in ${store.describe}.`);
        await store.redrive(chosen);
        console.log(
          chosen.length === 0
            ? `No dead letters in ${store.describe}.`
            : [
                `Redriven ${chosen.length} dead letter(s); a new failure comes back as a new dead letter:`,
                ...chosen.map(
                  (letter) => `  ${letter.id}  ${letter.event["detail-type"]} → ${letter.target}`,
                ),
              ].join("\n"),
        );
      });
    });
}

async function withStore(command: Command, use: (store: DeadLetterStore) => Promise<void>) {
  const { queueUrl } = command.optsWithGlobals<{ queueUrl?: string }>();
  const store = queueUrl ? sqsStore(queueUrl) : localStore(process.env);
  try {
    await use(store);
  } finally {
    store.close();
  }
}

/** A plain-text table, the same for both stores. */
export function formatDeadLetters(letters: readonly DeadLetter[], where: string): string {
  if (letters.length === 0) return `No dead letters in ${where}.`;
  const header = ["Id", "Failed at", "Target", "Event", "Error"];
  const rows = letters.map((letter) => [
    letter.id,
    `${letter.failedAt.toISOString().slice(0, 19).replace("T", " ")} UTC`,
    letter.target,
    letter.event["detail-type"],
    letter.error.replace(/\s+/g, " ").slice(0, 120),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  return [`${letters.length} dead letter(s) in ${where}:`, line(header), ...rows.map(line)].join("\n");
}

const byAge = (a: DeadLetter, b: DeadLetter) => a.failedAt.getTime() - b.failedAt.getTime();

/** What the local bus writes for each dead letter (`infra/local/event-bus.ts`). */
const localFileSchema = z.object({
  rule: z.string(),
  attempts: z.number(),
  error: z.string(),
  event: envelopeSchema,
});

const projectFolder = fileURLToPath(new URL("../..", import.meta.url));

/**
 * The local runtime's dead letters: one JSON file each in `<data dir>/dead-letters/`, named
 * `<time>-<target>-<event id>.json`; redriven through the running local bus.
 */
function localStore(env: NodeJS.ProcessEnv): DeadLetterStore {
  const dir = resolve(projectFolder, env.CONVENE_DATA_DIR || ".convene", "dead-letters");
  const busUrl = `http://127.0.0.1:${env.CONVENE_BUS_PORT || "4010"}`;
  // Made on the first redrive only: listing needs neither the bus nor the AWS SDK.
  let bus: EventBridgeClient | undefined;
  const localBus = () =>
    (bus ??= new EventBridgeClient({
      endpoint: busUrl,
      region: "local",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    }));
  return {
    describe: dir,
    async list() {
      const files = (await readdir(dir).catch(() => [] as string[])).filter((file) => file.endsWith(".json"));
      const letters = await Promise.all(
        files.map(async (file): Promise<DeadLetter> => {
          const parsed = localFileSchema.safeParse(JSON.parse(await readFile(join(dir, file), "utf8")));
          if (!parsed.success)
            throw new CliError(`${join(dir, file)} is not a dead letter of the local bus.`);
          return {
            id: file.replace(/\.json$/, ""),
            failedAt: compactTimeOf(file),
            target: parsed.data.rule,
            event: parsed.data.event,
            error: `${parsed.data.error} (${parsed.data.attempts} attempts)`,
          };
        }),
      );
      return letters.sort(byAge);
    },
    async redrive(letters) {
      for (const letter of letters) {
        await putOnBus(
          localBus(),
          localBusName,
          letter,
          `the local bus at ${busUrl} (is npm start running?)`,
        );
        await rm(join(dir, `${letter.id}.json`));
      }
    },
    close: () => bus?.destroy(),
  };
}

/** The time at the start of a local dead letter's name (`20271104T083000123Z-…`). */
function compactTimeOf(file: string): Date {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z/.exec(file);
  if (!match) return new Date(0);
  const [, year, month, day, hour, minute, second, ms] = match;
  return new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}.${ms}Z`);
}

/**
 * A Lambda on-failure destination record: what Lambda puts on the queue when an asynchronous
 * invocation (a bus rule, a schedule) failed every retry.
 */
const destinationRecordSchema = z.object({
  timestamp: z.string(),
  requestContext: z.object({ functionArn: z.string(), approximateInvokeCount: z.number().optional() }),
  requestPayload: envelopeSchema,
  responsePayload: z
    .looseObject({ errorType: z.string().optional(), errorMessage: z.string().optional() })
    .nullish(),
});

/** The attributes EventBridge puts on a message when it could not invoke a rule's target. */
const ruleFailureAttributesSchema = z.object({
  TARGET_ARN: z.object({ StringValue: z.string() }),
  ERROR_CODE: z.object({ StringValue: z.string() }).optional(),
  ERROR_MESSAGE: z.object({ StringValue: z.string() }).optional(),
});

/**
 * What SQS says of a message its redrive policy moved here from a consumer's queue (`spec.queue`
 * in the wiring list): the queue it failed in, and how often it was received in all.
 */
const movedAttributesSchema = z.object({
  DeadLetterQueueSourceArn: z.string(),
  ApproximateReceiveCount: z.string().optional(),
});

/** The name in a function's or a queue's ARN (`…:function:<name>[:<qualifier>]`, `…:sqs:<region>:<account>:<name>`). */
function nameInArn(arn: string): string {
  const parts = arn.split(":");
  return (parts[2] === "lambda" ? parts[6] : parts[5]) ?? arn;
}

/**
 * The wiring name of a function from its physical name or its queue's (`convene-<stage>-<name>`):
 * the longest wiring name it ends with.
 */
function targetOf(physicalName: string): string {
  const spec = functions
    .filter((candidate) => physicalName.endsWith(`-${candidate.name}`))
    .sort((a, b) => b.name.length - a.name.length)[0];
  return spec?.name ?? physicalName;
}

/** One SQS message as a dead letter, whichever of the three shapes it has. */
export function deadLetterOf(message: Message): DeadLetter {
  const failedAt = new Date(Number(message.Attributes?.SentTimestamp ?? 0));
  const body: unknown = JSON.parse(message.Body ?? "null");
  const record = destinationRecordSchema.safeParse(body);
  if (record.success) {
    const { requestContext, requestPayload, responsePayload } = record.data;
    const attempts = requestContext.approximateInvokeCount;
    return {
      id: message.MessageId ?? "",
      failedAt: new Date(record.data.timestamp),
      target: targetOf(nameInArn(requestContext.functionArn)),
      event: requestPayload,
      error: `${responsePayload?.errorType ?? "Error"}: ${responsePayload?.errorMessage ?? "no message"}${attempts ? ` (${attempts} attempts)` : ""}`,
    };
  }
  const event = envelopeSchema.safeParse(body);
  const attributes = ruleFailureAttributesSchema.safeParse(message.MessageAttributes);
  if (attributes.success && event.success) {
    const { TARGET_ARN, ERROR_CODE, ERROR_MESSAGE } = attributes.data;
    return {
      id: message.MessageId ?? "",
      failedAt,
      target: targetOf(nameInArn(TARGET_ARN.StringValue)),
      event: event.data,
      error: `${ERROR_CODE?.StringValue ?? "Error"}: ${ERROR_MESSAGE?.StringValue ?? "no message"}`,
    };
  }
  const moved = movedAttributesSchema.safeParse(message.Attributes);
  if (moved.success && event.success) {
    // The queue is named as its function is, whose log group says why each batch failed the event.
    const queueName = nameInArn(moved.data.DeadLetterQueueSourceArn);
    const target = targetOf(queueName);
    // SQS counts receives across queues: the consumer's, then this command's own reads.
    const receives = moved.data.ApproximateReceiveCount;
    return {
      id: message.MessageId ?? "",
      failedAt,
      target,
      event: event.data,
      error: `${target} failed it at every receive${receives ? ` (${receives} receives, this command's included)` : ""}; see the log group /aws/lambda/${queueName}`,
    };
  }
  throw new CliError(
    `Message ${message.MessageId} of the dead-letter queue is neither a Lambda failure record, an EventBridge dead letter, nor an event moved from a consumer's queue.`,
  );
}

/** Messages are held out of sight this long while one command reads the whole queue. */
const holdSeconds = 60;

/**
 * The dead-letter queue on AWS. Reading receives every message (holding each out of sight while the
 * command reads, then releasing it), since SQS has no way to look without receiving; a redrive
 * deletes each message once its event is back on the bus. The bus is the
 * queue's own stage's: `convene-<stage>-dead-letters` belongs to `convene-<stage>`.
 */
function sqsStore(queueUrl: string): DeadLetterStore {
  const url = new URL(queueUrl);
  const region = /^sqs\.([a-z0-9-]+)\.amazonaws\.com/.exec(url.host)?.[1];
  const queueName = url.pathname.split("/").pop() ?? "";
  if (!queueName.endsWith("-dead-letters"))
    throw new CliError(`${queueUrl} is not a Convene dead-letter queue (…/convene[-<stage>]-dead-letters).`);
  const busName = queueName.replace(/-dead-letters$/, "");
  const sqs = new SQSClient(region ? { region } : {});
  const bus = new EventBridgeClient(region ? { region } : {});

  const receiveAll = async () => {
    const messages = new Map<string, Message>();
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: holdSeconds,
          WaitTimeSeconds: 1,
          MessageAttributeNames: ["All"],
          // DeadLetterQueueSourceArn and ApproximateReceiveCount: what a consumer's queue moved here.
          MessageSystemAttributeNames: [
            "SentTimestamp",
            "DeadLetterQueueSourceArn",
            "ApproximateReceiveCount",
          ],
        }),
      );
      if (Messages.length === 0) break;
      for (const message of Messages) messages.set(message.MessageId ?? "", message);
    }
    return [...messages.values()];
  };
  const release = async (messages: readonly Message[]) => {
    for (let start = 0; start < messages.length; start += 10) {
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: messages.slice(start, start + 10).map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle,
            VisibilityTimeout: 0,
          })),
        }),
      );
    }
  };

  return {
    describe: queueUrl,
    async list() {
      const messages = await receiveAll();
      await release(messages);
      return messages.map(deadLetterOf).sort(byAge);
    },
    async redrive(letters) {
      const messages = await receiveAll();
      for (const letter of letters) {
        const message = messages.find((candidate) => candidate.MessageId === letter.id);
        await putOnBus(bus, busName, letter, `the bus ${busName}`);
        await sqs.send(
          new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message?.ReceiptHandle }),
        );
      }
      await release(messages.filter((message) => !letters.some((letter) => letter.id === message.MessageId)));
    },
    close() {
      sqs.destroy();
      bus.destroy();
    },
  };
}

async function putOnBus(bus: EventBridgeClient, busName: string, letter: DeadLetter, where: string) {
  const answer = await bus
    .send(new PutEventsCommand({ Entries: [redriveEntry(busName, letter.target, letter.event)] }))
    .catch((error: unknown) => {
      throw new CliError(
        `Could not redrive ${letter.id} through ${where}: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  const [entry] = answer.Entries ?? [];
  if (answer.FailedEntryCount || !entry?.EventId)
    throw new CliError(
      `${where} refused the redrive of ${letter.id}: ${entry?.ErrorMessage ?? "no reason given"}`,
    );
}
