/*
 * Sign-in's pure pieces: PKCE (RFC 7636 appendix B), base64url, state and
 * nonce tokens, JWT parsing and signature checks against a JWKS built from
 * keys generated here with OpenSSL (RS256 and ES256), the ID token's
 * claims, the discovery document, and which URLs may be called.
 */
#include <criterion/criterion.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "signin/signin.h"

/* --- helpers: keys, JWKS, signing --- */

static char *
b64url(const unsigned char *p, size_t n)
{
    size_t cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *s = xmalloc(cap);
    sodium_bin2base64(s, cap, p, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return s;
}

static char *
bn_b64url(EVP_PKEY *k, const char *param)
{
    BIGNUM *bn = NULL;
    cr_assert(EVP_PKEY_get_bn_param(k, param, &bn));
    unsigned char buf[600];
    int n = BN_bn2bin(bn, buf);
    BN_free(bn);
    return b64url(buf, (size_t)n);
}

static json_t *
rsa_jwk(EVP_PKEY *k, const char *kid)
{
    char *n = bn_b64url(k, OSSL_PKEY_PARAM_RSA_N), *e = bn_b64url(k, OSSL_PKEY_PARAM_RSA_E);
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s}", "kty", "RSA", "kid", kid, "alg", "RS256",
                          "n", n, "e", e);
    free(n);
    free(e);
    return j;
}

static json_t *
ec_jwk(EVP_PKEY *k, const char *kid)
{
    unsigned char pt[65];
    size_t len = 0;
    cr_assert(EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_PUB_KEY, pt, sizeof(pt), &len));
    cr_assert_eq(len, 65);
    char *x = b64url(pt + 1, 32), *y = b64url(pt + 33, 32);
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s}", "kty", "EC", "kid", kid, "crv", "P-256",
                          "x", x, "y", y);
    free(x);
    free(y);
    return j;
}

static char *
sign_jwt(EVP_PKEY *k, json_t *header, json_t *claims)
{
    char *h = json_dumps(header, JSON_COMPACT), *c = json_dumps(claims, JSON_COMPACT);
    char *hb = b64url((unsigned char *)h, strlen(h)), *cb = b64url((unsigned char *)c, strlen(c));
    struct buf in = BUF_INIT;
    buf_addf(&in, "%s.%s", hb, cb);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    size_t siglen = 0;
    cr_assert_eq(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, k), 1);
    cr_assert_eq(EVP_DigestSign(md, NULL, &siglen, (unsigned char *)in.p, in.len), 1);
    unsigned char *sig = xmalloc(siglen);
    cr_assert_eq(EVP_DigestSign(md, sig, &siglen, (unsigned char *)in.p, in.len), 1);
    EVP_MD_CTX_free(md);
    unsigned char raw[64];
    const unsigned char *use = sig;
    if (EVP_PKEY_is_a(k, "EC")) { /* DER -> r || s */
        const unsigned char *p = sig;
        ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)siglen);
        BN_bn2binpad(ECDSA_SIG_get0_r(es), raw, 32);
        BN_bn2binpad(ECDSA_SIG_get0_s(es), raw + 32, 32);
        ECDSA_SIG_free(es);
        use = raw;
        siglen = 64;
    }
    char *sb = b64url(use, siglen);
    buf_addf(&in, ".%s", sb);
    free(h), free(c), free(hb), free(cb), free(sb), free(sig);
    json_decref(header);
    json_decref(claims);
    return buf_detach(&in, NULL);
}

static EVP_PKEY *rsa, *rsa_other, *ec;
static json_t *jwks;
static const char *ISS = "https://id.example.test";
static const char *AUD = "broadsheet-client";
static const char *NONCE = "n-0S6_WzA2Mj";

static void
keys_setup(void)
{
    rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    rsa_other = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    cr_assert(rsa && rsa_other && ec);
    jwks = json_pack("{s:[o, o]}", "keys", rsa_jwk(rsa, "r1"), ec_jwk(ec, "e1"));
}

static void
keys_teardown(void)
{
    EVP_PKEY_free(rsa);
    EVP_PKEY_free(rsa_other);
    EVP_PKEY_free(ec);
    json_decref(jwks);
}

static json_t *
claims(int64_t now)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:s}", "iss", ISS, "aud", AUD, "sub",
                     "248289761001", "nonce", NONCE, "iat", (json_int_t)now, "exp",
                     (json_int_t)(now + 3600), "name", "Jane Roe");
}

static int
check(const char *token, int64_t now, char *err)
{
    struct signin_expect e = {ISS, AUD, NONCE, now, 60};
    json_t *c = NULL;
    int rc = signin_id_token_check(token, jwks, &e, &c, err, 256);
    json_decref(c);
    return rc;
}

/* --- PKCE, tokens, base64url --- */

Test(signin, pkce_s256_known_answer_rfc7636_appendix_b)
{
    char out[SIGNIN_TOKEN_CHARS + 1];
    signin_pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", out);
    cr_assert_str_eq(out, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

Test(signin, state_and_nonce_are_fresh_base64url)
{
    char a[SIGNIN_TOKEN_CHARS + 1], b[SIGNIN_TOKEN_CHARS + 1];
    signin_token(a);
    signin_token(b);
    cr_assert_eq(strlen(a), 43);
    cr_assert_str_neq(a, b);
    unsigned char *bin;
    size_t n;
    cr_assert_eq(signin_b64url_decode(a, strlen(a), &bin, &n), 0);
    cr_assert_eq(n, 32);
    free(bin);
    cr_assert(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == 43);
}

Test(signin, state_comparison)
{
    cr_assert(signin_str_eq("abc", "abc"));
    cr_assert_not(signin_str_eq("abc", "abd"));
    cr_assert_not(signin_str_eq("abc", "abcd"));
    cr_assert_not(signin_str_eq(NULL, "abc"));
    cr_assert_not(signin_str_eq("abc", NULL));
}

Test(signin, base64url_is_strict)
{
    unsigned char *bin;
    size_t n;
    cr_assert_eq(signin_b64url_decode("aGk", 3, &bin, &n), 0);
    cr_assert_eq(n, 2);
    cr_assert_eq(memcmp(bin, "hi", 2), 0);
    free(bin);
    cr_assert_eq(signin_b64url_decode("aGk=", 4, &bin, &n), -1, "no padding");
    cr_assert_eq(signin_b64url_decode("a+k/", 4, &bin, &n), -1, "not the url alphabet");
    cr_assert_eq(signin_b64url_decode("a", 1, &bin, &n), -1);
}

/* --- JWT --- */

Test(signin, rs256_and_es256_tokens_verify, .init = keys_setup, .fini = keys_teardown)
{
    int64_t now = time_now();
    char err[256];
    char *t = sign_jwt(rsa, json_pack("{s:s, s:s, s:s}", "alg", "RS256", "kid", "r1", "typ", "JWT"),
                       claims(now));
    cr_assert_eq(check(t, now, err), 0, "%s", err);
    free(t);
    t = sign_jwt(ec, json_pack("{s:s, s:s}", "alg", "ES256", "kid", "e1"), claims(now));
    cr_assert_eq(check(t, now, err), 0, "%s", err);
    free(t);
}

Test(signin, bad_signatures_and_algorithms_are_refused, .init = keys_setup,
     .fini = keys_teardown)
{
    int64_t now = time_now();
    char err[256];
    /* signed by a key that is not in the JWKS, under its kid */
    char *t = sign_jwt(rsa_other, json_pack("{s:s, s:s}", "alg", "RS256", "kid", "r1"),
                       claims(now));
    cr_assert_eq(check(t, now, err), -1);
    cr_assert_str_eq(err, "token signature is not valid");
    free(t);
    /* an unknown kid */
    t = sign_jwt(rsa, json_pack("{s:s, s:s}", "alg", "RS256", "kid", "nope"), claims(now));
    cr_assert_eq(check(t, now, err), -1);
    cr_assert_str_eq(err, "no key in the provider's JWKS for this token");
    free(t);
    /* RS256 claimed for the EC key */
    t = sign_jwt(ec, json_pack("{s:s, s:s}", "alg", "RS256", "kid", "e1"), claims(now));
    cr_assert_eq(check(t, now, err), -1);
    free(t);
    /* alg none with no signature, and HS256 */
    json_t *hj = json_pack("{s:s}", "alg", "none"), *cj = claims(now);
    char *h = json_dumps(hj, JSON_COMPACT);
    char *c = json_dumps(cj, JSON_COMPACT);
    json_decref(hj);
    json_decref(cj);
    char *hb = b64url((unsigned char *)h, strlen(h)), *cb = b64url((unsigned char *)c, strlen(c));
    struct buf none = BUF_INIT;
    buf_addf(&none, "%s.%s.", hb, cb);
    cr_assert_eq(check(none.p, now, err), -1);
    buf_reset(&none);
    buf_addf(&none, "%s.%s.c2ln", hb, cb);
    cr_assert_eq(check(none.p, now, err), -1);
    cr_assert_str_eq(err, "token signed with an algorithm we do not accept");
    buf_release(&none);
    free(h), free(c), free(hb), free(cb);
    /* a flipped bit in the payload */
    t = sign_jwt(rsa, json_pack("{s:s, s:s}", "alg", "RS256", "kid", "r1"), claims(now));
    char *dot = strchr(t, '.');
    dot[3] = dot[3] == 'A' ? 'B' : 'A';
    cr_assert_eq(check(t, now, err), -1);
    free(t);
}

Test(signin, claims_issuer_audience_expiry_nonce, .init = keys_setup, .fini = keys_teardown)
{
    int64_t now = time_now();
    char err[256];
    struct {
        const char *key;
        json_t *value;
        const char *why;
    } cases[] = {
        {"iss", json_string("https://evil.example"), "token issued by another issuer"},
        {"aud", json_string("someone-else"), "token issued for another client"},
        {"aud", json_pack("[s, s]", AUD, "other"), "token issued for another client"},
        {"exp", json_integer(now - 120), "token expired"},
        {"iat", json_integer(now + 3600), "token issued in the future"},
        {"nonce", json_string("replayed-nonce"), "token nonce does not match this sign-in"},
        {"sub", json_string(""), "token has no usable subject"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_t *c = claims(now);
        json_object_set_new(c, cases[i].key, cases[i].value);
        char *t = sign_jwt(rsa, json_pack("{s:s, s:s}", "alg", "RS256", "kid", "r1"), c);
        cr_assert_eq(check(t, now, err), -1, "case %zu accepted", i);
        cr_assert_str_eq(err, cases[i].why);
        free(t);
    }
    /* expiry within the leeway passes; several audiences need azp */
    json_t *c = claims(now);
    json_object_set_new(c, "exp", json_integer(now - 30));
    json_object_set_new(c, "aud", json_pack("[s, s]", AUD, "other"));
    json_object_set_new(c, "azp", json_string(AUD));
    char *t = sign_jwt(rsa, json_pack("{s:s, s:s}", "alg", "RS256", "kid", "r1"), c);
    cr_assert_eq(check(t, now, err), 0, "%s", err);
    free(t);
    /* a missing nonce when one was sent */
    c = claims(now);
    json_object_del(c, "nonce");
    t = sign_jwt(rsa, json_pack("{s:s, s:s}", "alg", "RS256", "kid", "r1"), c);
    cr_assert_eq(check(t, now, err), -1);
    free(t);
}

Test(signin, jwt_parse_rejects_malformed)
{
    struct signin_jwt j;
    const char *bad[] = {"", "a.b", "a.b.c.d", "e30.e30.", "!!.e30.c2ln", "W10.e30.c2ln",
                         "e30.bm90IGpzb24.c2ln"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_eq(signin_jwt_parse(bad[i], strlen(bad[i]), &j), -1, "accepted '%s'", bad[i]);
    cr_assert_eq(signin_jwt_parse("e30.e30.c2ln", 12, &j), 0);
    signin_jwt_release(&j);
}

Test(signin, jwks_needs_a_usable_key)
{
    char err[256];
    json_t *weak = json_pack("{s:[{s:s, s:s, s:s}]}", "keys", "kty", "RSA", "n", "AQAB", "e",
                             "AQAB");
    cr_assert_eq(signin_jwks_check(weak, err, sizeof(err)), -1, "a tiny modulus is refused");
    json_decref(weak);
    json_t *none = json_pack("{s:[]}", "keys");
    cr_assert_eq(signin_jwks_check(none, err, sizeof(err)), -1);
    json_decref(none);
}

/* --- discovery, URLs, profiles --- */

Test(signin, discovery_document)
{
    struct signin_discovery d;
    char err[256];
    const char *ok = "{\"issuer\":\"https://id.example.test\","
                     "\"authorization_endpoint\":\"https://id.example.test/auth\","
                     "\"token_endpoint\":\"https://id.example.test/token\","
                     "\"jwks_uri\":\"https://id.example.test/jwks\","
                     "\"authorization_response_iss_parameter_supported\":true}";
    cr_assert_eq(signin_discovery_parse(ok, strlen(ok), ISS, &d, err, sizeof(err)), 0, "%s", err);
    cr_assert_str_eq(d.token_endpoint, "https://id.example.test/token");
    cr_assert(d.iss_parameter);
    cr_assert_null(d.userinfo_endpoint);
    signin_discovery_release(&d);
    cr_assert_eq(signin_discovery_parse(ok, strlen(ok), "https://other.test", &d, err,
                                        sizeof(err)),
                 -1, "another issuer");
    const char *plain = "{\"issuer\":\"https://id.example.test\","
                        "\"authorization_endpoint\":\"http://id.example.test/auth\","
                        "\"token_endpoint\":\"https://id.example.test/token\","
                        "\"jwks_uri\":\"https://id.example.test/jwks\"}";
    cr_assert_eq(signin_discovery_parse(plain, strlen(plain), ISS, &d, err, sizeof(err)), -1,
                 "plain http to another host");
    cr_assert_eq(signin_discovery_parse("[1]", 3, ISS, &d, err, sizeof(err)), -1);
}

Test(signin, urls_https_or_loopback_http)
{
    cr_assert(signin_url_allowed("https://accounts.google.com/o/oauth2"));
    cr_assert(signin_url_allowed("http://127.0.0.1:4593/api/oidc"));
    cr_assert(signin_url_allowed("http://localhost:80/x"));
    cr_assert(signin_url_allowed("http://[::1]:8080/x"));
    cr_assert_not(signin_url_allowed("http://example.com/x"));
    cr_assert_not(signin_url_allowed("http://127.0.0.1.evil.com/x"));
    cr_assert_not(signin_url_allowed("https://user@evil.com/"));
    cr_assert_not(signin_url_allowed("file:///etc/passwd"));
    cr_assert_not(signin_url_allowed("https://a b/"));
    cr_assert_not(signin_url_allowed(NULL));
}

Test(signin, profile_fields_and_presets)
{
    json_t *naver = json_pack("{s:s, s:{s:s, s:s}}", "resultcode", "00", "response", "id",
                              "N-42", "nickname", "민지");
    char *id = signin_json_field(naver, "response.id");
    cr_assert_str_eq(id, "N-42");
    free(id);
    json_t *fb = json_pack("{s:I}", "id", (json_int_t)1234567890123);
    id = signin_json_field(fb, "id");
    cr_assert_str_eq(id, "1234567890123");
    free(id);
    cr_assert_null(signin_json_field(fb, "data.id"));
    json_decref(naver);
    json_decref(fb);
    const char *names[] = {"x", "facebook", "google", "kakao", "naver"};
    for (size_t i = 0; i < 5; i++) {
        struct signin_provider p;
        cr_assert_eq(signin_preset(names[i], &p), 0);
        char err[256];
        cr_assert_eq(signin_provider_check(&p, err, sizeof(err)), -1, "no client id yet");
        p.client_id = xstrdup("id");
        cr_assert_eq(signin_provider_check(&p, err, sizeof(err)), 0, "%s: %s", names[i], err);
        signin_provider_release(&p);
    }
    struct signin_provider p;
    cr_assert_eq(signin_preset("myspace", &p), -1);
}

Test(signin, authorization_url_carries_pkce_state_and_no_nonce_for_oauth2)
{
    struct signin_provider p;
    cr_assert_eq(signin_preset("naver", &p), 0);
    p.client_id = xstrdup("client&id");
    struct signin *s = signin_new(&p, 1, 5);
    struct signin_start st;
    char err[256];
    cr_assert_eq(signin_begin(s, signin_provider_at(s, 0), "http://127.0.0.1:8080/signin/naver/callback",
                              &st, err, sizeof(err)),
                 0);
    char challenge[SIGNIN_TOKEN_CHARS + 1];
    signin_pkce_challenge(st.verifier, challenge);
    cr_assert(strncmp(st.url, "https://nid.naver.com/oauth2.0/authorize?response_type=code&", 59) == 0,
              "%s", st.url);
    cr_assert_not_null(strstr(st.url, "client_id=client%26id"));
    cr_assert_not_null(strstr(st.url, challenge));
    cr_assert_not_null(strstr(st.url, "code_challenge_method=S256"));
    cr_assert_not_null(strstr(st.url, st.state));
    cr_assert_null(strstr(st.url, "nonce="));
    cr_assert_null(strstr(st.url, st.verifier), "the verifier never leaves the server");
    free(st.url);
    signin_free(s);
}
