/**
 * The client host a connection's requests carry to the broker (a group member's ClientHost in
 * DescribeGroups and in the group's record): Kafka records the peer's IP as Java prints an
 * InetAddress without a name, "/10.0.0.7". An IPv4 peer on a dual-stack socket is shown as IPv4,
 * as Java shows it. A Unix-socket peer has no address: it is on this machine, "localhost".
 */
import type {Socket} from 'node:net'

export const UNIX_SOCKET_CLIENT_HOST = 'localhost'

export function clientHostOf(socket: Socket, transport: 'unix' | 'tcp'): string {
  if (transport === 'unix' || socket.remoteAddress === undefined) return UNIX_SOCKET_CLIENT_HOST
  return `/${socket.remoteAddress.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '')}`
}
