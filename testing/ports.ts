/**
 * Ports for tests, on loopback: one nothing listens on (a refused connection), and a UDP port
 * free now (a test's own discovery port, so that no other tracker of the machine answers).
 */
import dgram from "node:dgram";

/** A TCP port on 127.0.0.1 nothing listens on (it was free a moment ago). */
export function closedPort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** A UDP port free on 127.0.0.1 now. */
export async function freeUdpPort(): Promise<number> {
  const sock = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => sock.bind(0, "127.0.0.1", resolve));
  const { port } = sock.address();
  await new Promise<void>((resolve) => sock.close(resolve));
  return port;
}
