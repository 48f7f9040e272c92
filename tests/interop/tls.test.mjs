// Interop over TLS: mosquitto_pub / mosquitto_sub against Postcard with a CA made during the test.
// Trusted, untrusted and missing client certificates; use_identity_as_username; TLS 1.2+ only.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBroker, freePort, run, tempDir } from './harness.mjs';
import { makeCertificates } from './certificates.mjs';

describe('TLS listener', () => {
  let broker, port, mtlsPort, certs;
  before(async () => {
    certs = makeCertificates(tempDir());
    port = await freePort();
    mtlsPort = await freePort();
    const dir = tempDir();
    const acl = `${dir}/acl`;
    (await import('node:fs')).writeFileSync(acl, 'user device-7\ntopic readwrite devices/device-7/#\n');
    broker = await startBroker({
      configText: [
        'per_listener_settings true',
        `listener ${port} 127.0.0.1`,
        `cafile ${certs.ca}`, `certfile ${certs.serverCert}`, `keyfile ${certs.serverKey}`,
        'allow_anonymous true',
        `listener ${mtlsPort} 127.0.0.1`,
        `cafile ${certs.ca}`, `certfile ${certs.serverCert}`, `keyfile ${certs.serverKey}`,
        'require_certificate true', 'use_identity_as_username true',
        `acl_file ${acl}`,
        '',
      ].join('\n'),
      waitPort: mtlsPort,
    });
  });
  after(async () => { await broker.stop(); });

  const tlsArgs = (p) => ['-h', 'localhost', '-p', String(p), '--cafile', certs.ca];

  test('a client that trusts the CA publishes and subscribes (v3.1.1 and v5)', async () => {
    for (const version of ['mqttv311', 'mqttv5']) {
      const r = await run('mosquitto_pub', [...tlsArgs(port), '-V', version, '-q', '1', '-r', '-t', `tls/${version}`, '-m', 'hi']);
      assert.equal(r.code, 0, r.stderr);
      const s = await run('mosquitto_sub', [...tlsArgs(port), '-V', version, '-t', `tls/${version}`, '-C', '1', '-W', '3']);
      assert.equal(s.stdout.trim(), 'hi', s.stderr);
    }
  });

  test('TLS 1.1 is refused, TLS 1.2 and 1.3 are accepted', async () => {
    const handshake = (flag) => run('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, flag,
      '-cipher', 'DEFAULT@SECLEVEL=0', '-CAfile', certs.ca], { input: '' });
    const old = await handshake('-tls1_1');
    assert.notEqual(old.code, 0, old.stdout);
    for (const flag of ['-tls1_2', '-tls1_3']) {
      const ok = await handshake(flag);
      assert.equal(ok.code, 0, `${flag}: ${ok.stderr}`);
      assert.match(ok.stdout, /Verify return code: 0 \(ok\)/);
    }
  });

  test('a trusted client certificate connects; its CN is the username for the ACL', async () => {
    const client = ['--cert', certs.clientCert, '--key', certs.clientKey];
    let r = await run('mosquitto_pub', [...tlsArgs(mtlsPort), ...client, '-q', '1', '-r', '-t', 'devices/device-7/state', '-m', 'on']);
    assert.equal(r.code, 0, r.stderr);
    r = await run('mosquitto_sub', [...tlsArgs(mtlsPort), ...client, '-t', 'devices/device-7/state', '-C', '1', '-W', '3']);
    assert.equal(r.stdout.trim(), 'on', r.stderr);
    // The ACL grants device-7 nothing outside its own tree: a v5 QoS 1 publish gets PUBACK 0x87.
    r = await run('mosquitto_pub', [...tlsArgs(mtlsPort), ...client, '-V', 'mqttv5', '-q', '1', '-t', 'devices/device-8/state', '-m', 'x']);
    assert.match(r.stderr, /not authori[sz]ed/i, `${r.code} ${r.stderr}`);
  });

  test('a certificate from an untrusted CA is refused during the handshake', async () => {
    const r = await run('mosquitto_pub', [...tlsArgs(mtlsPort), '--cert', certs.rogueCert, '--key', certs.rogueKey, '-t', 'x', '-m', 'x']);
    assert.notEqual(r.code, 0);
  });

  test('no client certificate is refused when require_certificate is true', async () => {
    const r = await run('mosquitto_pub', [...tlsArgs(mtlsPort), '-t', 'x', '-m', 'x']);
    assert.notEqual(r.code, 0);
  });
});
