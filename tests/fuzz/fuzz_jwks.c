/* libFuzzer: a JWKS document from a provider, and a token naming its keys. */
#include <string.h>

#include "signin/signin.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    json_t *jwks = json_loadb((const char *)data, size, 0, NULL);
    if (jwks == NULL)
        return 0;
    char err[256];
    signin_jwks_check(jwks, err, sizeof(err));
    /* a fixed RS256 and ES256 token against whatever keys came in */
    static const char *tokens[] = {
        "eyJhbGciOiJSUzI1NiIsImtpZCI6InIxIn0.e30.c2lnbmF0dXJl",
        "eyJhbGciOiJFUzI1NiJ9.e30.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    };
    for (size_t i = 0; i < 2; i++) {
        struct signin_jwt jwt;
        if (signin_jwt_parse(tokens[i], strlen(tokens[i]), &jwt) == 0) {
            signin_jwt_verify(&jwt, jwks, err, sizeof(err));
            signin_jwt_release(&jwt);
        }
    }
    json_decref(jwks);
    return 0;
}
