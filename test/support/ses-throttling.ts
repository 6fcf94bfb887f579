import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A proxy in front of a local SES that counts the Throttling answers its clients got: the only way
 * to tell pacing (no throttling) from retrying (throttled, then resent) from the outside.
 */
export async function throttlingCounter(target: string) {
  const seen = { throttled: 0 };
  const proxy = createServer((req, res) => {
    const upstream = request(new URL(req.url ?? "/", target), { method: req.method, headers: req.headers });
    upstream.on("response", (answer) => {
      const chunks: Buffer[] = [];
      answer.on("data", (chunk: Buffer) => chunks.push(chunk));
      answer.on("end", () => {
        const body = Buffer.concat(chunks);
        if (body.includes("<Code>Throttling</Code>")) seen.throttled++;
        res.writeHead(answer.statusCode ?? 502, answer.headers).end(body);
      });
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const { port } = proxy.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, close: () => closeProxy(proxy) };
}

function closeProxy(proxy: Server): Promise<void> {
  return new Promise((resolve) => {
    proxy.close(() => resolve());
    proxy.closeAllConnections();
  });
}
