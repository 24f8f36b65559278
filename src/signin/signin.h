/*
 * signin: readers sign in with a social account so they can comment.
 *
 * OAuth 2.0 authorization code flow with PKCE (S256) and state for every
 * provider; OpenID Connect (nonce, ID token checked for issuer, audience,
 * expiry and an RS256 or ES256 signature from the provider's JWKS) where
 * the provider speaks it, with its endpoints found by discovery from the
 * issuer URL and cached in memory. Presets for X, Facebook, Google, Kakao
 * and Naver; any OpenID Connect provider from the config file. Accounts
 * are keyed by provider + subject by the caller; e-mail is informative.
 *
 * Outbound HTTP goes through libcurl with timeouts and a size cap, only to
 * https URLs (plain http only on loopback, for tests), never following
 * redirects. No http module here: the handlers call signin_start and
 * signin_finish and do the cookies and redirects themselves.
 *
 * Design note: docs/design/signin.md.
 */
#ifndef BROADSHEET_SIGNIN_H
#define BROADSHEET_SIGNIN_H

#include <jansson.h>

#include "core/core.h"

enum signin_kind {
    SIGNIN_OIDC,   /* OpenID Connect: discovery, ID token */
    SIGNIN_OAUTH2, /* OAuth 2.0 + a profile API for the subject */
};

struct signin_provider {
    char *name;  /* in URLs: /signin/<name> */
    char *label; /* for readers: "Kakao" */
    enum signin_kind kind;
    char *issuer; /* OIDC */
    char *client_id;
    char *client_secret;
    char *authorize_url; /* OAuth 2.0 (OIDC: from discovery) */
    char *token_url;
    char *userinfo_url;
    char *scope;
    char *subject_field; /* in the profile JSON: "id", "data.id", "response.id" */
    char *name_field;
    char *email_field;
    bool token_auth_basic; /* client_secret_basic; otherwise client_secret_post */
    int leeway_s;          /* clock difference allowed on exp and iat */
};

/* Fills p with the preset of a known provider ("x", "facebook", "google",
 * "kakao", "naver"); -1 if unknown. Strings are malloc'ed. */
int signin_preset(const char *name, struct signin_provider *p);
/* A provider with nothing but its name (an OIDC provider from the config). */
void signin_provider_init(struct signin_provider *p, const char *name);
void signin_provider_release(struct signin_provider *p);
/* Missing client id or issuer/URLs: -1 and why. */
int signin_provider_check(const struct signin_provider *p, char *err, size_t errlen);

struct signin;
/* Takes ownership of the providers' strings (the array is copied). */
struct signin *signin_new(struct signin_provider *providers, size_t n, int timeout_s);
void signin_free(struct signin *s);
size_t signin_provider_count(const struct signin *s);
const struct signin_provider *signin_provider_at(const struct signin *s, size_t i);
const struct signin_provider *signin_provider_find(const struct signin *s, const char *name);

#define SIGNIN_TOKEN_CHARS 43 /* 32 random bytes in base64url */

struct signin_start {
    char state[SIGNIN_TOKEN_CHARS + 1];
    char nonce[SIGNIN_TOKEN_CHARS + 1];
    char verifier[SIGNIN_TOKEN_CHARS + 1];
    char *url; /* where to send the browser, malloc'ed */
};
/* Fresh state, nonce and PKCE verifier, and the authorization URL. */
int signin_begin(struct signin *s, const struct signin_provider *p, const char *redirect_uri,
                 struct signin_start *out, char *err, size_t errlen);

struct signin_identity {
    char *subject;
    char *name;
    char *email;
};
void signin_identity_release(struct signin_identity *id);
/* Redeems the code (with the flow's verifier), checks the ID token (with
 * the flow's nonce) or asks the profile API, and returns who signed in.
 * iss_param is the callback's iss parameter or NULL (RFC 9207). */
int signin_complete(struct signin *s, const struct signin_provider *p, const char *redirect_uri,
                    const char *code, const char *iss_param, const char *verifier,
                    const char *nonce, struct signin_identity *out, char *err, size_t errlen);

/* --- the pieces, pure functions (unit tests, fuzzing) --- */

/* Random 32 bytes as base64url without padding. */
void signin_token(char out[SIGNIN_TOKEN_CHARS + 1]);
/* BASE64URL(SHA256(verifier)), RFC 7636. */
void signin_pkce_challenge(const char *verifier, char out[SIGNIN_TOKEN_CHARS + 1]);
/* Strict base64url without padding; malloc'ed bytes. -1 on bad input. */
int signin_b64url_decode(const char *p, size_t n, unsigned char **out, size_t *outlen);
/* Constant-time equality of two strings (length leaks, content does not). */
bool signin_str_eq(const char *a, const char *b);
/* http(s) URL allowed for a provider: https, or http to a loopback host. */
bool signin_url_allowed(const char *url);

struct signin_jwt {
    json_t *header;
    json_t *claims;
    char *signing_input; /* "header.payload" */
    size_t signing_len;
    unsigned char *sig;
    size_t siglen;
};
/* Splits and decodes a compact JWS; -1 if it is not one (size capped). */
int signin_jwt_parse(const char *token, size_t n, struct signin_jwt *out);
void signin_jwt_release(struct signin_jwt *jwt);
/* Checks the signature with the JWKS key named by kid (RS256, ES256;
 * "none" and HMAC are refused). 0 when valid. */
int signin_jwt_verify(const struct signin_jwt *jwt, const json_t *jwks, char *err, size_t errlen);
/* A JWKS document: {"keys":[...]} with at least one usable key; -1 otherwise. */
int signin_jwks_check(const json_t *jwks, char *err, size_t errlen);

struct signin_expect {
    const char *issuer;
    const char *audience; /* the client id */
    const char *nonce;
    int64_t now;
    int leeway_s;
};
int signin_claims_check(const json_t *claims, const struct signin_expect *e, char *err,
                        size_t errlen);
/* parse + verify + claims; *claims (a new reference) on success. */
int signin_id_token_check(const char *token, const json_t *jwks, const struct signin_expect *e,
                          json_t **claims, char *err, size_t errlen);

struct signin_discovery {
    char *issuer;
    char *authorization_endpoint;
    char *token_endpoint;
    char *userinfo_endpoint;
    char *jwks_uri;
    bool iss_parameter; /* authorization_response_iss_parameter_supported */
};
/* Parses a discovery document; its issuer must equal expected exactly and
 * every endpoint must be an allowed URL. */
int signin_discovery_parse(const char *json, size_t n, const char *expected_issuer,
                           struct signin_discovery *out, char *err, size_t errlen);
void signin_discovery_release(struct signin_discovery *d);
/* A string at a dotted path ("data.id") of a profile; numbers are printed. */
char *signin_json_field(const json_t *obj, const char *path);

#endif
