// SCRAM-SHA-256 (RFC 5802 / RFC 7677), client side, on WebCrypto only (crypto.subtle: Node 20 and
// browsers in a secure context such as http://127.0.0.1): PBKDF2 for the salted password, HMAC and
// SHA-256 for the keys. Used by the enhanced-authentication tests against the native broker's
// `scram_file`; `scramEntry` writes that file's line for a user (the server side's stored keys).
const subtle = globalThis.crypto.subtle;
const utf8 = new TextEncoder();
const text = new TextDecoder();

const b64 = (bytes) => btoa(String.fromCharCode(...bytes));
const unb64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

async function salted(password, salt, iterations) {
  const key = await subtle.importKey('raw', utf8.encode(password), 'PBKDF2', false, ['deriveBits']);
  return new Uint8Array(await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256));
}
async function hmac(key, data) {
  const k = await subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await subtle.sign('HMAC', k, typeof data === 'string' ? utf8.encode(data) : data));
}
const sha256 = async (data) => new Uint8Array(await subtle.digest('SHA-256', data));

/** The scram_file line for `user` (RFC 5803 format after the name). */
export async function scramEntry(user, password, iterations = 4096) {
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(16));
  const sp = await salted(password, salt, iterations);
  const storedKey = await sha256(await hmac(sp, 'Client Key'));
  const serverKey = await hmac(sp, 'Server Key');
  return `${user}:SCRAM-SHA-256$${iterations}:${b64(salt)}$${b64(storedKey)}:${b64(serverKey)}`;
}

/**
 * One client exchange: first() is the CONNECT's (or AUTH 0x19's) Authentication Data; final(serverFirst)
 * answers the server's AUTH 0x18; verify(serverFinal) checks the server's signature ("v=...") from
 * the CONNACK or the AUTH 0x00 that ends the exchange.
 */
export function scramClient(user, password) {
  const nonce = b64(globalThis.crypto.getRandomValues(new Uint8Array(18)));
  const bare = `n=${user},r=${nonce}`;
  let expected;
  return {
    first: () => utf8.encode(`n,,${bare}`),
    async final(serverFirstBytes) {
      const serverFirst = text.decode(serverFirstBytes);
      const f = Object.fromEntries(serverFirst.split(',').map((kv) => [kv[0], kv.slice(2)]));
      if (!f.r?.startsWith(nonce)) throw new Error(`server nonce does not extend ours: ${serverFirst}`);
      const sp = await salted(password, unb64(f.s), Number(f.i));
      const clientKey = await hmac(sp, 'Client Key');
      const withoutProof = `c=biws,r=${f.r}`;
      const authMessage = `${bare},${serverFirst},${withoutProof}`;
      const signature = await hmac(await sha256(clientKey), authMessage);
      const proof = clientKey.map((b, i) => b ^ signature[i]);
      expected = `v=${b64(await hmac(await hmac(sp, 'Server Key'), authMessage))}`;
      return utf8.encode(`${withoutProof},p=${b64(proof)}`);
    },
    verify: (serverFinalBytes) => expected !== undefined && text.decode(serverFinalBytes) === expected,
  };
}
