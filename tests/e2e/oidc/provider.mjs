// A real OpenID Provider on loopback for riskmotor's login tests.
//
// It is the certified npm package oidc-provider with its development login form
// (devInteractions): any username and password are accepted. The username is taken as the
// person's e-mail address; the ID token carries sub, email and name, as a municipality's
// identity provider would. Nothing here is fit for production.
//
// Usage:
//   node provider.mjs --port 9621 --redirect-uri http://127.0.0.1:8621/oauth2callback \
//        [--redirect-uri ...] [--client-id riskmotor] [--client-secret ...]
//
// Prints one line "oidc-provider ready <issuer>" on stdout once it accepts connections.

import { createHash } from "node:crypto";
import { parseArgs } from "node:util";

import Provider from "oidc-provider";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "9621" },
    "redirect-uri": { type: "string", multiple: true, default: [] },
    "client-id": { type: "string", default: "riskmotor" },
    "client-secret": { type: "string", default: "riskmotor-testhemlighet" },
  },
});

const port = Number(values.port);
const issuer = `http://127.0.0.1:${port}`;
const redirectUris = values["redirect-uri"];
if (redirectUris.length === 0) {
  console.error("provider.mjs: at least one --redirect-uri is required");
  process.exit(2);
}

// "anna.lindqvist@exempel.se" -> "Anna Lindqvist": a readable name for the audit log.
function nameFrom(email) {
  const local = email.split("@")[0];
  return local
    .split(/[._-]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join(" ");
}

// A stable subject that is not the e-mail address, so that tests can tell them apart.
function subjectFor(email) {
  return createHash("sha256").update(email).digest("hex").slice(0, 24);
}

const configuration = {
  clients: [
    {
      client_id: values["client-id"],
      client_secret: values["client-secret"],
      redirect_uris: redirectUris,
      // Streamlit sends its callback address as post_logout_redirect_uri on st.logout().
      post_logout_redirect_uris: redirectUris,
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name"],
  },
  // Streamlit reads the person from the ID token (Authlib's "userinfo"), so the requested
  // claims go into the ID token itself, not only to the userinfo endpoint.
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: true },
  },
  // The test client is first party: grant the requested scopes without a consent page.
  async loadExistingGrant(ctx) {
    const grantId =
      ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      return ctx.oidc.provider.Grant.find(grantId);
    }
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid email profile");
    await grant.save();
    return grant;
  },
  async findAccount(_ctx, accountId) {
    const email = accountId.trim().toLowerCase();
    return {
      accountId,
      async claims() {
        return {
          sub: subjectFor(email),
          email,
          email_verified: true,
          name: nameFrom(email),
        };
      },
    };
  },
  cookies: { keys: ["riskmotor-test-cookie-key"] },
};

const provider = new Provider(issuer, configuration);
const server = provider.listen(port, "127.0.0.1", () => {
  console.log(`oidc-provider ready ${issuer}`);
});

function stop() {
  server.close(() => process.exit(0));
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
