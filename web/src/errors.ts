// Error texts: the client engine's local errors and MQTT reason codes, as MQTT.js words them.
export class ErrorWithReasonCode extends Error {
  code: number;
  constructor(message: string, code: number) {
    super(message);
    this.code = code;
    Object.setPrototypeOf(this, ErrorWithReasonCode.prototype);
  }
}

const clientErrors = [
  'ok', 'client ended', 'not connected', 'offline queue full', 'invalid topic', 'invalid filter', 'no topics',
  'QoS not supported by the server', 'retain not supported by the server', 'packet too large',
  'invalid topic alias', 'invalid argument', 'not supported by this protocol version',
];
export function clientErrorText(code: number): string {
  return clientErrors[code] ?? `error ${code}`;
}

const v3 = ['', 'Unacceptable protocol version', 'Identifier rejected', 'Server unavailable',
  'Bad username or password', 'Not authorized'];
const v5: Record<number, string> = {
  0x80: 'Unspecified error', 0x81: 'Malformed Packet', 0x82: 'Protocol Error', 0x83: 'Implementation specific error',
  0x84: 'Unsupported Protocol Version', 0x85: 'Client Identifier not valid', 0x86: 'Bad User Name or Password',
  0x87: 'Not authorized', 0x88: 'Server unavailable', 0x89: 'Server busy', 0x8a: 'Banned',
  0x8b: 'Server shutting down', 0x8c: 'Bad authentication method', 0x8d: 'Keep Alive timeout', 0x8e: 'Session taken over',
  0x8f: 'Topic Filter invalid', 0x90: 'Topic Name invalid', 0x91: 'Packet identifier in use',
  0x92: 'Packet Identifier not found', 0x93: 'Receive Maximum exceeded', 0x94: 'Topic Alias invalid',
  0x95: 'Packet too large', 0x96: 'Message rate too high', 0x97: 'Quota exceeded', 0x98: 'Administrative action',
  0x99: 'Payload format invalid', 0x9a: 'Retain not supported', 0x9b: 'QoS not supported',
  0x9c: 'Use another server', 0x9d: 'Server moved', 0x9e: 'Shared Subscriptions not supported',
  0x9f: 'Connection rate exceeded', 0xa0: 'Maximum connect time', 0xa1: 'Subscription Identifiers not supported',
  0xa2: 'Wildcard Subscriptions not supported',
};
export function reasonText(code: number, version: number): string {
  if (version < 5 && code < v3.length) return v3[code];
  return v5[code] ?? `reason code ${code}`;
}
