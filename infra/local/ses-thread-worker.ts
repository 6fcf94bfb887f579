import { parentPort, workerData } from "node:worker_threads";
import { type SesServer, startSesServer } from "./ses-server.ts";
import type { FromSesThread, SesThreadData, ToSesThread } from "./ses-thread.ts";

/** The thread side of `startSesServerThread`: the local SES, its callbacks asked of the main thread. */
const port = parentPort;
if (!port) throw new Error("ses-thread-worker.ts runs as a worker thread (startSesServerThread)");
const { settings, publishes, notifies } = workerData as SesThreadData;
const post = (message: FromSesThread) => port.postMessage(message);

const asked = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
let nextAsk = 0;
const ask = (message: Extract<FromSesThread, { kind: "publish" | "sent" }>) =>
  new Promise<void>((resolve, reject) => {
    asked.set(message.id, { resolve, reject });
    post(message);
  });

let server: SesServer | undefined;
port.on("message", (message: ToSesThread) => {
  if (message.kind === "answer") {
    const waiting = asked.get(message.id);
    asked.delete(message.id);
    if (message.error === undefined) waiting?.resolve();
    else waiting?.reject(new Error(message.error));
    return;
  }
  const done = message.method === "close" ? server?.close() : server?.eventsPublished();
  Promise.resolve(done).then(
    () => post({ kind: "answer", id: message.id }),
    (error: unknown) =>
      post({ kind: "answer", id: message.id, error: error instanceof Error ? error.message : String(error) }),
  );
});

try {
  server = await startSesServer({
    ...settings,
    ...(publishes && { publishEvents: (record) => ask({ kind: "publish", id: nextAsk++, record }) }),
    ...(notifies && { onSent: (message) => ask({ kind: "sent", id: nextAsk++, message }) }),
  });
  const recovered = () => post({ kind: "recovered" });
  server.recovered.then(recovered, recovered);
  post({ kind: "listening", url: server.url, port: server.port });
} catch (error) {
  post({
    kind: "failed",
    message: error instanceof Error ? error.message : String(error),
    ...(error instanceof Error && error.stack && { stack: error.stack }),
  });
}
