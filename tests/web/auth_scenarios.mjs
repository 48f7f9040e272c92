// Enhanced authentication scenarios (MQTT v5 AUTH, SCRAM-SHA-256) run the same way in Node and in a
// Chromium page: `lib` is the built library (web/dist/index.js), `url` a native broker with a
// scram_file. Each returns plain data for the test to assert on.
import { scramClient } from './scram_client.mjs';

const method = 'SCRAM-SHA-256';
const id = (prefix) => `${prefix}-${Math.random().toString(16).slice(2, 10)}`;

// MQTT.js's handleAuth: answer AUTH 0x18 with the client-final message (WebCrypto, so the answer is
// asynchronous); on AUTH 0x00 (end of a re-authentication) refuse a wrong server signature.
function installHandleAuth(client, state, seen) {
  client.handleAuth = (packet, cb) => {
    seen.push(packet.reasonCode);
    if (packet.reasonCode === 0x18) {
      state.scram.final(packet.properties.authenticationData).then(
        (data) => cb(undefined, { cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: method, authenticationData: data } }),
        (err) => cb(err));
    } else {
      cb(state.scram.verify(packet.properties.authenticationData) ? undefined : new Error('server signature mismatch'));
    }
  };
}

async function roundTrip(client, payload) {
  const topic = `auth/${client.options.clientId}`;
  await client.subscribeAsync(topic, { qos: 1 });
  const got = new Promise((res) => client.once('message', (_t, p) => res(new TextDecoder().decode(p))));
  await client.publishAsync(topic, payload, { qos: 1 });
  return got;
}

/** CONNECT with SCRAM, round trip, re-authenticate (with `reauthPassword`), round trip again. */
export async function scramSession(lib, url, user, password, reauthPassword = password) {
  const state = { scram: scramClient(user, password) };
  const seen = [];
  const client = lib.connect(url, {
    protocolVersion: 5, clientId: id('scram'), reconnectPeriod: 0,
    properties: { authenticationMethod: method, authenticationData: state.scram.first() },
  });
  installHandleAuth(client, state, seen);
  const errors = [];
  const connack = await new Promise((res, rej) => {
    client.once('connect', res);
    client.once('error', rej);
  });
  client.on('error', (e) => errors.push(e.message));
  const r = {
    connackCode: connack.reasonCode ?? 0,
    connectExchange: seen.splice(0),
    serverVerified: state.scram.verify(connack.properties?.authenticationData ?? new Uint8Array()),
    first: await roundTrip(client, 'after connect'),
  };
  state.scram = scramClient(user, reauthPassword);
  try {
    const done = await client.reauthenticateAsync({ authenticationData: state.scram.first() });
    r.reauth = { ok: true, exchange: seen.splice(0), serverVerified: state.scram.verify(done.properties.authenticationData) };
    r.second = await roundTrip(client, 'after re-authentication');
  } catch (err) {
    r.reauth = { ok: false, exchange: seen.splice(0), code: err.code, message: err.message };
  }
  r.connectedAfter = client.connected;
  r.errors = errors;
  await client.endAsync();
  return r;
}

/** CONNECT with SCRAM and a wrong password: the 'error' event (CONNACK's reason code). */
export async function scramRefused(lib, url, user, password) {
  const state = { scram: scramClient(user, password) };
  const seen = [];
  const client = lib.connect(url, {
    protocolVersion: 5, clientId: id('scram-bad'), reconnectPeriod: 0,
    properties: { authenticationMethod: method, authenticationData: state.scram.first() },
  });
  installHandleAuth(client, state, seen);
  let connected = false;
  client.on('connect', () => (connected = true));
  const err = await new Promise((res) => client.once('error', res));
  await client.endAsync();
  return { code: err.code, message: err.message, exchange: seen, connected };
}
