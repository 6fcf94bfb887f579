import type { APIGatewayProxyEventV2 } from "aws-lambda";

/**
 * The client's IP address as API Gateway saw it (`requestContext.http.sourceIp`, the TCP peer), never
 * a header the client sets itself (`X-Forwarded-For`), which would let it pick its own rate-limit
 * counter. The local gateway sets it from its socket.
 */
export const clientIpOf = (event: APIGatewayProxyEventV2): string =>
  event.requestContext?.http?.sourceIp ?? "unknown";
