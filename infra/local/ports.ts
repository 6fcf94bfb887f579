import type { Server } from "node:net";
import { createServer } from "node:net";

/** A port nobody listens on now (DynamoDB Local cannot be told to pick one itself). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A port of the local runtime that another program listens on: what `npm start` says then. */
export class PortInUseError extends Error {
  readonly code = "EADDRINUSE";
  constructor(
    readonly port: number,
    what: string,
  ) {
    super(
      `${what} could not listen on port ${port} (EADDRINUSE): another program listens there. Stop it, ` +
        "or choose other ports: CONVENE_PORT, CONVENE_DYNAMODB_PORT, CONVENE_SES_PORT, CONVENE_BUS_PORT " +
        "(README, 'Configuration of the local runtime').",
    );
  }
}

/** `server.listen`, resolving with the port it listens on, rejecting (not throwing later) if it cannot. */
export function listen(server: Server, port: number, host: string, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new PortInUseError(port, what) : error);
    server.once("error", failed);
    server.listen(port, host, () => {
      server.off("error", failed);
      resolve((server.address() as { port: number }).port);
    });
  });
}
