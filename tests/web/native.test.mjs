// Postcard's JS client <-> Postcard's native broker (build/bin/postcard, or $POSTCARD_BIN) over ws://
// and wss://. Skipped until the binary exists.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import * as lib from '../../web/dist/index.js';
import * as s from './scenarios.mjs';
import { postcardBinary, startBrokerProcess } from './helpers.mjs';

const skip = !existsSync(postcardBinary) && `${postcardBinary} not built`;

for (const tls of [false, true]) {
  test(`native broker over ${tls ? 'wss' : 'ws'}://: QoS 0/1/2 (3.1.1 and 5), retained, v5 properties`, { skip }, async () => {
    const b = await startBrokerProcess({ command: postcardBinary, tls });
    const options = tls ? { wsOptions: { rejectUnauthorized: false } } : {};
    try {
      for (const protocolVersion of [4, 5]) {
        const r = await s.qosRoundTrip(lib, b.url, { protocolVersion, options });
        assert.deepEqual(r.received.map((m) => [m.payload, m.qos]), [['payload 0', 0], ['payload 1', 1], ['payload 2', 2]]);
      }
      if (!tls) {
        const r = await s.retained(lib, b.url);
        assert.equal(r.payload, 'kept');
        const v5 = await s.v5Properties(lib, b.url);
        assert.deepEqual(v5.userProperties, { a: '1', b: ['x', 'y'] });
      }
    } finally {
      await b.stop();
    }
  });
}
