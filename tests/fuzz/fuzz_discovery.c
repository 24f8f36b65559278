/* libFuzzer: an OpenID Connect discovery document, and profile fields. */
#include <stdlib.h>

#include "signin/signin.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    struct signin_discovery d;
    char err[256];
    if (signin_discovery_parse((const char *)data, size, "https://id.example.test", &d, err,
                               sizeof(err)) == 0) {
        signin_url_allowed(d.authorization_endpoint);
        signin_discovery_release(&d);
    }
    json_t *j = json_loadb((const char *)data, size, 0, NULL);
    if (j) {
        const char *paths[] = {"sub", "response.id", "data.id", "a.b.c.d.e"};
        for (size_t i = 0; i < 4; i++)
            free(signin_json_field(j, paths[i]));
        json_decref(j);
    }
    return 0;
}
