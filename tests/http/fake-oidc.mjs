// A tiny OpenID Connect provider on loopback for the cases a real provider
// will not produce: ID tokens with a wrong nonce, issuer or audience, an
// expired one, one signed by a key outside the JWKS, an ES256 one, and a
// wrong RFC 9207 iss parameter. It checks PKCE S256 and the client secret
// like a real one. Tokens are minted here with node:crypto. holdToken()
// makes the token endpoint wait until the test lets it answer (a slow
// provider, without any clock).
import { createServer } from 'node:http';
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

const b64url = (buf) => Buffer.from(buf).toString('base64url');

export async function startFakeOidc({ clientId, clientSecret }) {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rogue = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwks = {
    keys: [
      { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ],
  };
  const codes = new Map();
  const fake = {
    // what the next token looks like; reset after each use
    next: {},
    subject: 'fake-subject-1',
    email: 'alice@example.test',
    tokenRequests: 0,
    hold: null,
  };

  // Token requests from now on wait for release(); arrived resolves when the
  // first one has come in (the app is then waiting for the provider).
  fake.holdToken = () => {
    let arrive, release;
    const hold = {
      arrived: new Promise((r) => { arrive = r; }),
      released: new Promise((r) => { release = r; }),
      arrive: () => arrive(),
      release: () => { if (fake.hold === hold) fake.hold = null; release(); },
    };
    fake.hold = hold;
    return hold;
  };

  function mint(grant) {
    const now = Math.floor(Date.now() / 1000);
    const n = fake.next;
    const claims = {
      iss: n.iss ?? fake.issuer,
      aud: n.aud ?? clientId,
      sub: n.sub ?? fake.subject,
      nonce: n.nonce ?? grant.nonce,
      iat: n.iat ?? now,
      exp: n.exp ?? now + 600,
      name: n.name ?? 'Fake Alice',
      email: fake.email,
    };
    const alg = n.alg ?? 'RS256';
    const header = { alg, typ: 'JWT', kid: alg === 'ES256' ? 'ec-1' : 'rsa-1' };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    let sig;
    if (alg === 'ES256') sig = sign('sha256', Buffer.from(input), { key: ec.privateKey, dsaEncoding: 'ieee-p1363' });
    else sig = sign('sha256', Buffer.from(input), n.rogue ? rogue.privateKey : rsa.privateKey);
    return `${input}.${b64url(sig)}`;
  }

  function body(req) {
    return new Promise((res) => {
      let d = '';
      req.on('data', (c) => { d += c; });
      req.on('end', () => res(d));
    });
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, fake.issuer);
    const json = (status, obj) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(obj));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer: fake.issuer,
        authorization_endpoint: `${fake.issuer}/authorize`,
        token_endpoint: `${fake.issuer}/token`,
        jwks_uri: `${fake.issuer}/jwks`,
        userinfo_endpoint: `${fake.issuer}/userinfo`,
        code_challenge_methods_supported: ['S256'],
        authorization_response_iss_parameter_supported: true,
      });
    }
    if (url.pathname === '/jwks') return json(200, jwks);
    if (url.pathname === '/authorize') {
      const q = url.searchParams;
      if (q.get('client_id') !== clientId || q.get('code_challenge_method') !== 'S256') return json(400, { error: 'invalid_request' });
      const code = b64url(randomBytes(16));
      codes.set(code, { nonce: q.get('nonce'), challenge: q.get('code_challenge'), redirect: q.get('redirect_uri') });
      const back = new URL(q.get('redirect_uri'));
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state'));
      back.searchParams.set('iss', fake.next.issParam ?? fake.issuer);
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      fake.tokenRequests++;
      const form = new URLSearchParams(await body(req));
      const hold = fake.hold;
      if (hold) {
        hold.arrive();
        await hold.released;
      }
      const auth = Buffer.from((req.headers.authorization || '').replace(/^Basic /, ''), 'base64').toString();
      if (auth !== `${clientId}:${clientSecret}`) return json(401, { error: 'invalid_client' });
      const grant = codes.get(form.get('code'));
      codes.delete(form.get('code'));
      if (!grant || grant.redirect !== form.get('redirect_uri')) return json(400, { error: 'invalid_grant' });
      const challenge = b64url(createHash('sha256').update(form.get('code_verifier') || '').digest());
      if (challenge !== grant.challenge) return json(400, { error: 'invalid_grant', error_description: 'PKCE' });
      const token = mint(grant);
      fake.next = {};
      return json(200, { access_token: b64url(randomBytes(16)), token_type: 'Bearer', id_token: token, expires_in: 600 });
    }
    return json(404, { error: 'not_found' });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  fake.issuer = `http://127.0.0.1:${server.address().port}`;
  fake.close = () => new Promise((r) => server.close(r));
  return fake;
}
