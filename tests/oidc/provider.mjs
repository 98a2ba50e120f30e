// A real OpenID Connect provider (npm oidc-provider) on loopback, for tests/api/test_oidc.py.
// Usage: node provider.mjs REDIRECT_URI; prints "ready <issuer>" once it listens on a free
// loopback port. One confidential test client ("discreet",
// PKCE required) and test users whose "discreet_roles" claim says their roles. The login
// form is the package's own development interaction (it takes any password).
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const redirect = process.argv[2];
const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;
const USERS = {
  ana: { name: 'Ana Analyst', discreet_roles: ['analyst'] },
  rui: { name: 'Rui Reviewer', discreet_roles: ['reviewer', 'unknown-role'] },
  nobody: { name: 'No Roles', discreet_roles: [] },
};

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'discreet',
    client_secret: 'discreet-test-secret',
    redirect_uris: [redirect],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  claims: { openid: ['sub'], profile: ['name', 'discreet_roles'] },
  conformIdTokenClaims: false,
  cookies: { keys: ['discreet-test-cookie-key'] },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    if (!USERS[id]) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...USERS[id] }; } };
  },
});
server.on('request', provider.callback());
process.stdout.write(`ready ${issuer}\n`);
// the test closes stdin when it is done: stop then, even if it was killed
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
