// Sends the differential cases through the official JS Ory client (see differential.rs).
// Usage: node differential.cjs BASE_URL CASES_JSON, with NODE_PATH at the installed node_modules.
// The recording server's answers are not what is compared, so failures decoding them are ignored.
const fs = require("fs");
const { Configuration, FrontendApi, IdentityApi, JwkApi, OAuth2Api } = require("@ory/client");

const key = (kid) => ({ alg: "RS256", kid, kty: "RSA", use: "sig", e: "AQAB", n: "sample-n" });

async function main(url, casesPath) {
  const cases = JSON.parse(fs.readFileSync(casesPath, "utf8"));
  const configuration = new Configuration({ basePath: url, accessToken: cases.token });
  const jwk = new JwkApi(configuration);
  const calls = [];
  for (const { set, kid } of cases.jwk) {
    calls.push(
      () => jwk.createJsonWebKeySet({ set, createJsonWebKeySet: { alg: "RS256", kid, use: "sig" } }),
      () => jwk.deleteJsonWebKey({ set, kid }),
      () => jwk.deleteJsonWebKeySet({ set }),
      () => jwk.getJsonWebKey({ set, kid }),
      () => jwk.getJsonWebKeySet({ set }),
      () => jwk.setJsonWebKey({ set, kid, jsonWebKey: key(kid) }),
      () => jwk.setJsonWebKeySet({ set, jsonWebKeySet: { keys: [key(kid)] } }),
    );
  }
  const introspect = cases.introspect;
  calls.push(() =>
    new OAuth2Api(configuration).introspectOAuth2Token({ token: introspect.token, scope: introspect.scope }),
  );
  const listing = cases.list_identities;
  calls.push(() =>
    new IdentityApi(configuration).listIdentities({
      pageSize: listing.page_size,
      ids: listing.ids,
      credentialsIdentifier: listing.credentials_identifier,
      includeCredential: listing.include_credential,
    }),
  );
  const session = cases.to_session;
  calls.push(() =>
    new FrontendApi(configuration).toSession({ xSessionToken: session.x_session_token, cookie: session.cookie }),
  );
  for (const call of calls) {
    try {
      await call();
    } catch (e) {
      // An HTTP answer is canned and not compared; anything else is shown, so that a call
      // failing before it sends is explained.
      if (!e.isAxiosError) console.error(`call ${calls.indexOf(call) + 1}: ${e}`);
    }
  }
}

main(process.argv[2], process.argv[3]).catch((e) => {
  console.error(e);
  process.exit(1);
});
