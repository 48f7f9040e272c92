// Interop: Debian's mosquitto_pub / mosquitto_sub (real peers) against Postcard's native broker over TCP,
// MQTT 3.1.1 and 5.0, QoS 0/1/2, retained messages, wills, username/password.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBroker, freePort, run, startProcess, sleep } from './harness.mjs';

const versions = ['mqttv311', 'mqttv5'];

describe('mosquitto clients <-> postcard over TCP', () => {
  let broker;
  let port;
  before(async () => {
    port = await freePort();
    broker = await startBroker({ configText: `listener ${port} 127.0.0.1\nallow_anonymous true\n`, waitPort: port });
  });
  after(async () => {
    const code = await broker.stop();
    assert.equal(code, 0, `postcard exits 0 on SIGTERM; log:\n${broker.log()}`);
  });

  // mosquitto_sub prints "Client ... received SUBACK" with -d: wait for it before publishing.
  async function subscriber(args) {
    const sub = startProcess('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(port), '-d', ...args]);
    const deadline = Date.now() + 5000;
    while (!sub.stdout().includes('received SUBACK')) {
      if (Date.now() > deadline) throw new Error(`no SUBACK: ${sub.stdout()} ${sub.stderr()}`);
      await sleep(10);
    }
    return sub;
  }
  const payloadLines = (sub) => sub.stdout().split('\n').filter((l) => l.startsWith('interop/'));

  for (const version of versions) {
    for (const qos of [0, 1, 2]) {
      test(`${version} QoS ${qos}: every message arrives once, in order`, async () => {
        const topic = `interop/${version}/q${qos}`;
        const sub = await subscriber(['-V', version, '-q', String(qos), '-t', 'interop/#', '-v', '-C', '5']);
        for (let i = 0; i < 5; i++) {
          const r = await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-V', version,
            '-q', String(qos), '-t', topic, '-m', `message ${i}`]);
          assert.equal(r.code, 0, r.stderr);
        }
        await sub.exited;
        assert.deepEqual(payloadLines(sub), [0, 1, 2, 3, 4].map((i) => `${topic} message ${i}`));
      });
    }

    test(`${version}: a retained message reaches a late subscriber, an empty one deletes it`, async () => {
      const topic = `interop/retained/${version}`;
      let r = await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-V', version, '-q', '1', '-r',
        '-t', topic, '-m', 'kept']);
      assert.equal(r.code, 0, r.stderr);
      r = await run('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(port), '-V', version, '-t', topic, '-v',
        '-C', '1', '-W', '3']);
      assert.equal(r.stdout.trim(), `${topic} kept`);
      r = await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-V', version, '-r', '-n', '-t', topic]);
      assert.equal(r.code, 0, r.stderr);
      r = await run('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(port), '-V', version, '-t', topic, '-v',
        '--retained-only', '-W', '1']);
      assert.equal(r.stdout, '', 'no retained message after the empty retained publish');
    });

    test(`${version}: the will is published when a client vanishes without DISCONNECT`, async () => {
      const willTopic = `interop/will/${version}`;
      const watcher = await subscriber(['-V', version, '-t', willTopic, '-v', '-C', '1']);
      const doomed = await subscriber(['-V', version, '-t', 'interop/nothing', '-k', '60', '-i', `doomed-${version}`,
        '--will-topic', willTopic, '--will-payload', 'gone', '--will-qos', '1']);
      doomed.child.kill('SIGKILL');
      const code = await Promise.race([watcher.exited, sleep(5000).then(() => 'timeout')]);
      assert.notEqual(code, 'timeout', `will not received: ${watcher.stdout()}`);
      assert.ok(watcher.stdout().includes(`${willTopic} gone`), watcher.stdout());
    });

    test(`${version}: a normal DISCONNECT publishes no will`, async () => {
      const willTopic = `interop/nowill/${version}`;
      const r = await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-V', version, '-t', 'interop/x',
        '-m', 'x', '--will-topic', willTopic, '--will-payload', 'should not appear']);
      assert.equal(r.code, 0, r.stderr);
      const s = await run('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(port), '-V', version, '-t', willTopic,
        '-W', '1']);
      assert.equal(s.stdout, '');
    });
  }

  test('v5: user properties, content type and a response topic pass through unchanged', async () => {
    const sub = await subscriber(['-V', 'mqttv5', '-t', 'interop/props', '-C', '1', '-F', '%t|%C|%R|%P|%p']);
    const r = await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-V', 'mqttv5', '-t', 'interop/props',
      '-m', 'body', '-D', 'publish', 'content-type', 'text/plain', '-D', 'publish', 'response-topic', 'interop/reply',
      '-D', 'publish', 'user-property', 'k1', 'v1', '-D', 'publish', 'user-property', 'k2', 'v2']);
    assert.equal(r.code, 0, r.stderr);
    await sub.exited;
    const line = sub.stdout().split('\n').find((l) => l.startsWith('interop/props|'));
    assert.equal(line, 'interop/props|text/plain|interop/reply|k1:v1 k2:v2|body');
  });
});

describe('mosquitto clients <-> postcard with a password file', () => {
  let broker;
  let port;
  before(async () => {
    port = await freePort();
    const { tempDir } = await import('./harness.mjs');
    const dir = tempDir();
    const pw = `${dir}/passwords`;
    const made = await run('mosquitto_passwd', ['-c', '-b', pw, 'alice', 'secret-a']);
    assert.equal(made.code, 0, made.stderr);
    broker = await startBroker({
      configText: `listener ${port} 127.0.0.1\nallow_anonymous false\npassword_file ${pw}\n`, waitPort: port,
    });
  });
  after(async () => { await broker.stop(); });

  for (const version of versions) {
    test(`${version}: the right password connects`, async () => {
      const r = await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-V', version, '-u', 'alice',
        '-P', 'secret-a', '-t', 'interop/auth', '-m', 'ok']);
      assert.equal(r.code, 0, r.stderr);
    });
    test(`${version}: a wrong password, an unknown user and no credentials are refused`, async () => {
      for (const creds of [['-u', 'alice', '-P', 'wrong'], ['-u', 'mallory', '-P', 'secret-a'], []]) {
        const r = await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-V', version, ...creds,
          '-t', 'interop/auth', '-m', 'no']);
        assert.notEqual(r.code, 0, `refused: ${creds.join(' ')}`);
        assert.match(r.stderr, /not authori[sz]ed|bad user name or password/i, r.stderr);
      }
    });
  }
});
