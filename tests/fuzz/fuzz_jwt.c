/* libFuzzer: JWT parsing, signature checking against a JWKS and the ID
 * token's claims. The first byte chooses the JWKS: a fixed RSA/EC set, or
 * the rest of the input split at the first newline (jwks \n token). */
#include <stdlib.h>
#include <string.h>

#include "signin/signin.h"

static const char JWKS[] =
    "{\"keys\":[{\"kty\":\"EC\",\"kid\":\"e1\",\"crv\":\"P-256\","
    "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
    "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}]}";

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *p = (const char *)data + 1;
    size_t n = size - 1;
    json_t *jwks = NULL;
    if (data[0] & 1) {
        const char *nl = memchr(p, '\n', n);
        if (nl == NULL)
            return 0;
        jwks = json_loadb(p, (size_t)(nl - p), 0, NULL);
        n -= (size_t)(nl - p) + 1;
        p = nl + 1;
    } else {
        jwks = json_loads(JWKS, 0, NULL);
    }
    struct signin_jwt jwt;
    if (signin_jwt_parse(p, n, &jwt) == 0) {
        char err[256];
        signin_jwt_verify(&jwt, jwks, err, sizeof(err));
        struct signin_expect e = {"https://id.example.test", "client", "nonce", 1700000000, 60};
        signin_claims_check(jwt.claims, &e, err, sizeof(err));
        signin_jwt_release(&jwt);
    }
    json_decref(jwks);
    return 0;
}
