// The same round trips inside a dedicated Web Worker (module worker), posting the results back.
import * as lib from '/web/dist/index.js';
import mqtt from '/node_modules/mqtt/dist/mqtt.esm.js';
import * as s from '/tests/web/scenarios.mjs';

const params = new URLSearchParams(self.location.search);
try {
  const out = await s.inTabSuite(lib, mqtt);
  const ws = params.get('ws');
  if (ws) out.websocket = await s.qosRoundTrip(lib, ws, { protocolVersion: 4 });
  self.postMessage(JSON.parse(JSON.stringify(out)));
} catch (err) {
  self.postMessage({ error: String(err?.stack ?? err) });
}
