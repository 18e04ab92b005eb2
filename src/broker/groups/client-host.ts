/**
 * The client host recorded for a group member (DescribeGroups' ClientHost, the group's record):
 * Kafka records the peer's address as Java prints it ("/127.0.0.1"). Requests reach the handlers
 * without their connection's peer address, and this daemon serves local clients (loopback TCP or
 * its Unix socket), so every member is recorded as local.
 */
export const LOCAL_CLIENT_HOST = '/127.0.0.1'
