// Postcard for the web: an MQTT.js-shaped client and an in-tab broker over Postcard's C++ engines.
export { connect, connectAsync, MqttClient } from './client.js';
export type {
  IClientOptions, IClientPublishOptions, IClientSubscribeOptions, ISubscriptionGrant, ISubscriptionMap, QoS,
  DoneCallback, PacketCallback, SubscribeCallback,
} from './client.js';
export { createBroker, createBrokerAsync, findBroker, InTabBroker } from './broker.js';
export type { BrokerOptions, BrokerHooks, BrokerPeer, BrokerConnection, PersistenceOptions } from './broker.js';
export { LocalWebSocket } from './local_websocket.js';
export { ErrorWithReasonCode } from './errors.js';
export type { Packet } from './packet.js';
export { loadPostcard } from './module.js';
export { EventEmitter } from './emitter.js';
