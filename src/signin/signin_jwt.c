/*
 * Tokens: base64url, PKCE, JWS parsing, signature verification with keys
 * from a JWKS (OpenSSL 3's EVP API builds the public key from the JWK's
 * numbers), the ID token's claims, and the discovery document. Pure
 * functions: no network, no clock but the one passed in.
 */
#include "signin/signin.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JWT_MAX_BYTES 16384
#define RSA_MIN_BITS 2048

void
signin_token(char out[SIGNIN_TOKEN_CHARS + 1])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(out, SIGNIN_TOKEN_CHARS + 1, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
}

void
signin_pkce_challenge(const char *verifier, char out[SIGNIN_TOKEN_CHARS + 1])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)verifier, strlen(verifier));
    sodium_bin2base64(out, SIGNIN_TOKEN_CHARS + 1, h, sizeof(h),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int
signin_b64url_decode(const char *p, size_t n, unsigned char **out, size_t *outlen)
{
    *out = NULL;
    *outlen = 0;
    if (n > JWT_MAX_BYTES)
        return -1;
    unsigned char *bin = xmalloc(n * 3 / 4 + 1);
    size_t len = 0;
    const char *end = NULL;
    if (sodium_base642bin(bin, n * 3 / 4 + 1, p, n, NULL, &len, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        end != p + n) {
        free(bin);
        return -1;
    }
    *out = bin;
    *outlen = len;
    return 0;
}

bool
signin_str_eq(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return false;
    size_t n = strlen(a);
    if (n != strlen(b))
        return false;
    return n == 0 || sodium_memcmp(a, b, n) == 0;
}

/* --- JWS --- */

static json_t *
decode_json_part(const char *p, size_t n)
{
    unsigned char *bin;
    size_t len;
    if (signin_b64url_decode(p, n, &bin, &len) != 0)
        return NULL;
    json_t *j = json_loadb((const char *)bin, len, JSON_REJECT_DUPLICATES, NULL);
    free(bin);
    if (j && !json_is_object(j)) {
        json_decref(j);
        j = NULL;
    }
    return j;
}

int
signin_jwt_parse(const char *token, size_t n, struct signin_jwt *out)
{
    memset(out, 0, sizeof(*out));
    if (n == 0 || n > JWT_MAX_BYTES || memchr(token, '\0', n))
        return -1;
    const char *dot1 = memchr(token, '.', n);
    const char *dot2 = dot1 ? memchr(dot1 + 1, '.', (size_t)(token + n - dot1 - 1)) : NULL;
    if (dot2 == NULL || memchr(dot2 + 1, '.', (size_t)(token + n - dot2 - 1)))
        return -1;
    out->header = decode_json_part(token, (size_t)(dot1 - token));
    out->claims = decode_json_part(dot1 + 1, (size_t)(dot2 - dot1 - 1));
    size_t slen = (size_t)(token + n - dot2 - 1);
    if (out->header == NULL || out->claims == NULL || slen == 0 ||
        signin_b64url_decode(dot2 + 1, slen, &out->sig, &out->siglen) != 0) {
        signin_jwt_release(out);
        return -1;
    }
    out->signing_len = (size_t)(dot2 - token);
    out->signing_input = xstrndup(token, out->signing_len);
    return 0;
}

void
signin_jwt_release(struct signin_jwt *jwt)
{
    json_decref(jwt->header);
    json_decref(jwt->claims);
    free(jwt->signing_input);
    free(jwt->sig);
    memset(jwt, 0, sizeof(*jwt));
}

/* --- keys from JWKs --- */

static BIGNUM *
jwk_bn(const json_t *jwk, const char *field)
{
    const char *s = json_string_value(json_object_get(jwk, field));
    if (s == NULL)
        return NULL;
    unsigned char *bin;
    size_t len;
    if (signin_b64url_decode(s, strlen(s), &bin, &len) != 0 || len == 0) {
        free(bin);
        return NULL;
    }
    BIGNUM *bn = BN_bin2bn(bin, (int)len, NULL);
    free(bin);
    return bn;
}

static EVP_PKEY *
pkey_from_params(const char *type, OSSL_PARAM_BLD *bld)
{
    EVP_PKEY *pkey = NULL;
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    if (params == NULL || ctx == NULL || EVP_PKEY_fromdata_init(ctx) <= 0 ||
        EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
        pkey = NULL;
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    return pkey;
}

static EVP_PKEY *
rsa_key(const json_t *jwk)
{
    BIGNUM *n = jwk_bn(jwk, "n"), *e = jwk_bn(jwk, "e");
    EVP_PKEY *pkey = NULL;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    if (n && e && bld && BN_num_bits(n) >= RSA_MIN_BITS && BN_num_bits(n) <= 8192 &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e))
        pkey = pkey_from_params("RSA", bld);
    OSSL_PARAM_BLD_free(bld);
    BN_free(n);
    BN_free(e);
    return pkey;
}

/* The 32-byte big-endian coordinate of a P-256 JWK, or -1. */
static int
ec_coord(const json_t *jwk, const char *field, unsigned char out[32])
{
    const char *s = json_string_value(json_object_get(jwk, field));
    unsigned char *bin;
    size_t len;
    if (s == NULL || signin_b64url_decode(s, strlen(s), &bin, &len) != 0)
        return -1;
    int rc = len == 32 ? 0 : -1;
    if (rc == 0)
        memcpy(out, bin, 32);
    free(bin);
    return rc;
}

static EVP_PKEY *
ec_key(const json_t *jwk)
{
    const char *crv = json_string_value(json_object_get(jwk, "crv"));
    unsigned char point[65];
    point[0] = 0x04; /* uncompressed */
    if (crv == NULL || strcmp(crv, "P-256") != 0 || ec_coord(jwk, "x", point + 1) != 0 ||
        ec_coord(jwk, "y", point + 33) != 0)
        return NULL;
    EVP_PKEY *pkey = NULL;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    if (bld && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) &&
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point)))
        pkey = pkey_from_params("EC", bld);
    OSSL_PARAM_BLD_free(bld);
    return pkey;
}

/* A JWK usable for alg: the right kty, no other use, no other alg. */
static bool
jwk_fits(const json_t *jwk, const char *alg)
{
    const char *kty = json_string_value(json_object_get(jwk, "kty"));
    const char *use = json_string_value(json_object_get(jwk, "use"));
    const char *kalg = json_string_value(json_object_get(jwk, "alg"));
    const char *want = strcmp(alg, "RS256") == 0 ? "RSA" : "EC";
    if (kty == NULL || strcmp(kty, want) != 0)
        return false;
    if (use && strcmp(use, "sig") != 0)
        return false;
    return kalg == NULL || strcmp(kalg, alg) == 0;
}

/* The key for kid (or the only fitting key when the token names none). */
static const json_t *
find_jwk(const json_t *jwks, const char *kid, const char *alg)
{
    const json_t *keys = json_object_get(jwks, "keys");
    const json_t *found = NULL;
    size_t i, nfit = 0;
    json_t *k;
    json_array_foreach(keys, i, k)
    {
        if (!json_is_object(k) || !jwk_fits(k, alg))
            continue;
        const char *kkid = json_string_value(json_object_get(k, "kid"));
        if (kid && kkid && strcmp(kid, kkid) == 0)
            return k;
        if (kid == NULL) {
            found = k;
            nfit++;
        }
    }
    return nfit == 1 ? found : NULL;
}

/* JWS ES256 signatures are r || s; OpenSSL wants DER. */
static unsigned char *
es256_der(const unsigned char *sig, size_t siglen, size_t *derlen)
{
    if (siglen != 64)
        return NULL;
    ECDSA_SIG *es = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(sig, 32, NULL), *s = BN_bin2bn(sig + 32, 32, NULL);
    unsigned char *der = NULL;
    if (es && r && s && ECDSA_SIG_set0(es, r, s) == 1) {
        r = s = NULL; /* owned by es now */
        int len = i2d_ECDSA_SIG(es, &der);
        *derlen = len > 0 ? (size_t)len : 0;
        if (len <= 0)
            der = NULL;
    }
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(es);
    return der;
}

static int
verify_with(EVP_PKEY *pkey, const struct signin_jwt *jwt, bool ec)
{
    const unsigned char *sig = jwt->sig;
    size_t siglen = jwt->siglen;
    unsigned char *der = NULL;
    if (ec) {
        der = es256_der(jwt->sig, jwt->siglen, &siglen);
        if (der == NULL)
            return -1;
        sig = der;
    }
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = md && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, pkey) == 1 &&
             EVP_DigestVerify(md, sig, siglen, (const unsigned char *)jwt->signing_input,
                              jwt->signing_len) == 1;
    EVP_MD_CTX_free(md);
    OPENSSL_free(der);
    return ok ? 0 : -1;
}

int
signin_jwt_verify(const struct signin_jwt *jwt, const json_t *jwks, char *err, size_t errlen)
{
    const char *alg = json_string_value(json_object_get(jwt->header, "alg"));
    const json_t *kidj = json_object_get(jwt->header, "kid");
    if (alg == NULL || (strcmp(alg, "RS256") != 0 && strcmp(alg, "ES256") != 0)) {
        snprintf(err, errlen, "token signed with an algorithm we do not accept");
        return -1;
    }
    if (json_object_get(jwt->header, "crit") || (kidj && !json_is_string(kidj))) {
        snprintf(err, errlen, "token header not understood");
        return -1;
    }
    const json_t *jwk = find_jwk(jwks, json_string_value(kidj), alg);
    if (jwk == NULL) {
        snprintf(err, errlen, "no key in the provider's JWKS for this token");
        return -1;
    }
    bool ec = strcmp(alg, "ES256") == 0;
    EVP_PKEY *pkey = ec ? ec_key(jwk) : rsa_key(jwk);
    if (pkey == NULL) {
        snprintf(err, errlen, "the provider's key is unusable");
        return -1;
    }
    int rc = verify_with(pkey, jwt, ec);
    EVP_PKEY_free(pkey);
    if (rc != 0)
        snprintf(err, errlen, "token signature is not valid");
    return rc;
}

int
signin_jwks_check(const json_t *jwks, char *err, size_t errlen)
{
    const json_t *keys = json_object_get(jwks, "keys");
    size_t i, usable = 0;
    json_t *k;
    json_array_foreach(keys, i, k)
    {
        if (!json_is_object(k))
            continue;
        EVP_PKEY *p = jwk_fits(k, "RS256") ? rsa_key(k) : jwk_fits(k, "ES256") ? ec_key(k) : NULL;
        usable += p != NULL;
        EVP_PKEY_free(p);
    }
    if (usable == 0) {
        snprintf(err, errlen, "the provider's JWKS has no usable key");
        return -1;
    }
    return 0;
}

/* --- claims --- */

static bool
aud_ok(const json_t *claims, const char *client_id)
{
    const json_t *aud = json_object_get(claims, "aud");
    if (json_is_string(aud))
        return strcmp(json_string_value(aud), client_id) == 0;
    if (!json_is_array(aud) || json_array_size(aud) == 0)
        return false;
    bool found = false;
    size_t i;
    json_t *v;
    json_array_foreach(aud, i, v) found = found || (json_is_string(v) &&
                                                     strcmp(json_string_value(v), client_id) == 0);
    if (!found)
        return false;
    /* several audiences: the token must have been issued to us (azp) */
    const char *azp = json_string_value(json_object_get(claims, "azp"));
    return json_array_size(aud) == 1 || (azp && strcmp(azp, client_id) == 0);
}

static int
fail(char *err, size_t errlen, const char *msg)
{
    snprintf(err, errlen, "%s", msg);
    return -1;
}

int
signin_claims_check(const json_t *claims, const struct signin_expect *e, char *err, size_t errlen)
{
    const char *iss = json_string_value(json_object_get(claims, "iss"));
    const char *sub = json_string_value(json_object_get(claims, "sub"));
    const char *nonce = json_string_value(json_object_get(claims, "nonce"));
    const json_t *exp = json_object_get(claims, "exp");
    const json_t *iat = json_object_get(claims, "iat");
    if (iss == NULL || e->issuer == NULL || strcmp(iss, e->issuer) != 0)
        return fail(err, errlen, "token issued by another issuer");
    if (e->audience == NULL || !aud_ok(claims, e->audience))
        return fail(err, errlen, "token issued for another client");
    if (!json_is_number(exp) || json_number_value(exp) + e->leeway_s <= (double)e->now)
        return fail(err, errlen, "token expired");
    if (!json_is_number(iat) || json_number_value(iat) - e->leeway_s > (double)e->now)
        return fail(err, errlen, "token issued in the future");
    if (e->nonce && !signin_str_eq(nonce, e->nonce))
        return fail(err, errlen, "token nonce does not match this sign-in");
    if (sub == NULL || sub[0] == '\0' || strlen(sub) > 255)
        return fail(err, errlen, "token has no usable subject");
    return 0;
}

int
signin_id_token_check(const char *token, const json_t *jwks, const struct signin_expect *e,
                      json_t **claims, char *err, size_t errlen)
{
    *claims = NULL;
    struct signin_jwt jwt;
    if (signin_jwt_parse(token, strlen(token), &jwt) != 0)
        return fail(err, errlen, "the ID token is not a signed JWT");
    int rc = signin_jwt_verify(&jwt, jwks, err, errlen);
    if (rc == 0)
        rc = signin_claims_check(jwt.claims, e, err, errlen);
    if (rc == 0)
        *claims = json_incref(jwt.claims);
    signin_jwt_release(&jwt);
    return rc;
}

/* --- URLs and discovery --- */

static bool
loopback_host(const char *h, size_t n)
{
    return (n == 9 && memcmp(h, "127.0.0.1", 9) == 0) || (n == 9 && memcmp(h, "localhost", 9) == 0) ||
           (n == 5 && memcmp(h, "[::1]", 5) == 0);
}

bool
signin_url_allowed(const char *url)
{
    if (url == NULL || strlen(url) > 2000)
        return false;
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
            return false;
    bool https = strncmp(url, "https://", 8) == 0;
    if (!https && strncmp(url, "http://", 7) != 0)
        return false;
    const char *host = url + (https ? 8 : 7);
    size_t hlen = strcspn(host, "/?#");
    if (hlen == 0 || memchr(host, '@', hlen))
        return false;
    if (https)
        return true;
    /* plain http only to this machine: the host without its port */
    const char *colon = host[0] == '[' ? memchr(host, ']', hlen) : memchr(host, ':', hlen);
    size_t name = colon ? (size_t)(colon - host) + (host[0] == '[') : hlen;
    return loopback_host(host, name);
}

static char *
dup_url(const json_t *doc, const char *field, bool required, bool *ok)
{
    const char *s = json_string_value(json_object_get(doc, field));
    if (s == NULL) {
        if (required)
            *ok = false;
        return NULL;
    }
    if (!signin_url_allowed(s)) {
        *ok = false;
        return NULL;
    }
    return xstrdup(s);
}

int
signin_discovery_parse(const char *json, size_t n, const char *expected_issuer,
                       struct signin_discovery *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    json_t *doc = json_loadb(json, n, JSON_REJECT_DUPLICATES, NULL);
    const char *iss = json_string_value(json_object_get(doc, "issuer"));
    int rc = -1;
    if (!json_is_object(doc) || iss == NULL) {
        snprintf(err, errlen, "the discovery document is not valid");
    } else if (expected_issuer == NULL || strcmp(iss, expected_issuer) != 0) {
        snprintf(err, errlen, "the discovery document names another issuer");
    } else {
        bool ok = true;
        out->issuer = xstrdup(iss);
        out->authorization_endpoint = dup_url(doc, "authorization_endpoint", true, &ok);
        out->token_endpoint = dup_url(doc, "token_endpoint", true, &ok);
        out->jwks_uri = dup_url(doc, "jwks_uri", true, &ok);
        out->userinfo_endpoint = dup_url(doc, "userinfo_endpoint", false, &ok);
        out->iss_parameter =
            json_is_true(json_object_get(doc, "authorization_response_iss_parameter_supported"));
        if (ok)
            rc = 0;
        else
            snprintf(err, errlen, "the discovery document lacks an endpoint or has a bad URL");
    }
    json_decref(doc);
    if (rc != 0)
        signin_discovery_release(out);
    return rc;
}

void
signin_discovery_release(struct signin_discovery *d)
{
    free(d->issuer);
    free(d->authorization_endpoint);
    free(d->token_endpoint);
    free(d->userinfo_endpoint);
    free(d->jwks_uri);
    memset(d, 0, sizeof(*d));
}

char *
signin_json_field(const json_t *obj, const char *path)
{
    const json_t *v = obj;
    const char *p = path;
    while (v && *p) {
        size_t n = strcspn(p, ".");
        char key[64];
        if (n == 0 || n >= sizeof(key))
            return NULL;
        memcpy(key, p, n);
        key[n] = '\0';
        v = json_object_get(v, key);
        p += n + (p[n] == '.');
    }
    if (json_is_string(v))
        return xstrdup(json_string_value(v));
    if (json_is_integer(v)) {
        char num[32];
        snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
        return xstrdup(num);
    }
    return NULL;
}
