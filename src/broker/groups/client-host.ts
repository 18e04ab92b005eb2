/**
 * The client host of a member whose JoinGroup did not come over a connection (the broker driven in
 * process, as tests do): Kafka's rendering of the loopback address. Requests from connections carry
 * their own (BrokerContext.clientHost).
 */
export const LOCAL_CLIENT_HOST = '/127.0.0.1'
