// Password and ACL files on a plain TCP listener, and SIGHUP reloading them without a restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { startBroker, freePort, run, startProcess, tempDir, sleep } from './harness.mjs';

let broker, port, dir;
const pub = (user, pass, topic, extra = []) => run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-V', 'mqttv5',
  '-u', user, '-P', pass, '-q', '1', '-t', topic, '-m', `${user}->${topic}`, ...extra]);

before(async () => {
  port = await freePort();
  dir = tempDir();
  const made = await run('mosquitto_passwd', ['-c', '-b', `${dir}/passwords`, 'alice', 'a-pass']);
  assert.equal(made.code, 0, made.stderr);
  await run('mosquitto_passwd', ['-b', `${dir}/passwords`, 'bob', 'b-pass']);
  writeFileSync(`${dir}/acl`, [
    'user alice', 'topic readwrite home/#',
    'user bob', 'topic read home/#', 'topic write bob/#',
    'pattern readwrite clients/%u/#', '',
  ].join('\n'));
  broker = await startBroker({
    configText: `listener ${port} 127.0.0.1\nallow_anonymous false\npassword_file ${dir}/passwords\nacl_file ${dir}/acl\n`,
    waitPort: port,
  });
});
after(async () => { await broker.stop(); });

test('the ACL allows and denies publishes (v5 PUBACK 0x87 when denied)', async () => {
  assert.equal((await pub('alice', 'a-pass', 'home/lamp')).code, 0);
  assert.equal((await pub('bob', 'b-pass', 'bob/notes')).code, 0);
  assert.equal((await pub('bob', 'b-pass', 'clients/bob/x')).code, 0, 'pattern %u');
  const denied = await pub('bob', 'b-pass', 'home/lamp');
  assert.match(denied.stderr, /not authori[sz]ed/i, `bob may only read home/#: ${denied.code} ${denied.stderr}`);
  const other = await pub('alice', 'a-pass', 'clients/bob/x');
  assert.match(other.stderr, /not authori[sz]ed/i, 'pattern %u is alice for alice');
});

test('deliveries are filtered by read access', async () => {
  const sub = startProcess('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(port), '-u', 'bob', '-P', 'b-pass',
    '-t', '#', '-v', '-d']);
  const deadline = Date.now() + 5000;
  while (!sub.stdout().includes('received SUBACK')) { assert.ok(Date.now() < deadline, sub.stderr()); await sleep(10); }
  assert.equal((await pub('alice', 'a-pass', 'home/door')).code, 0);
  assert.equal((await pub('bob', 'b-pass', 'bob/secret')).code, 0);
  await sleep(300);
  await sub.kill();
  const lines = sub.stdout().split('\n').filter((l) => /^(home|bob)\//.test(l));
  assert.deepEqual(lines, ['home/door alice->home/door'], 'bob reads home/# but has no read access to bob/#');
});

test('SIGHUP reloads the password file: a new user can connect, a removed one cannot', async () => {
  assert.notEqual((await pub('carol', 'c-pass', 'clients/carol/x')).code, 0);
  await run('mosquitto_passwd', ['-b', `${dir}/passwords`, 'carol', 'c-pass']);
  await run('mosquitto_passwd', ['-D', `${dir}/passwords`, 'bob']);
  broker.child.kill('SIGHUP');
  await sleep(300);
  assert.equal((await pub('carol', 'c-pass', 'clients/carol/x')).code, 0, broker.log());
  assert.notEqual((await pub('bob', 'b-pass', 'bob/notes')).code, 0);
  assert.equal(broker.child.exitCode, null, 'still running after SIGHUP');
});
