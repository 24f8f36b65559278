# Varnish 7 in front of Broadsheet. Varnish holds the public pages, and the
# paper purges exactly the pages a change touches, by their surrogate keys
# (the `xkey` header of each page; needs varnish-modules' xkey).
#
# In broadsheet.ini:    [server]
#                       purge = http://127.0.0.1:6081/
# Start:                varnishd -a :6081 -f /etc/varnish/broadsheet.vcl -s malloc,1g
# tests/http/varnish.test.mjs runs this file against the real binary.
vcl 4.1;

import xkey;

backend broadsheet {
    .host = "127.0.0.1";
    .port = "8080";
}

# who may purge: the paper's own machines
acl paper {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ paper) {
            return (synth(403, "Only the paper may purge"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "PURGE needs an xkey-purge header"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone));
    }
    # Tracking parameters (utm_*, click ids) are read by no page: without
    # them, a share link unique to each reader finds the cached page.
    if (req.url ~ "[?&](utm_[a-z]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|twclid|yclid|igshid|mc_cid|mc_eid|_ga|_gl)=") {
        set req.url = regsuball(req.url, "([?&])(utm_[a-z]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|twclid|yclid|igshid|mc_cid|mc_eid|_ga|_gl)=[^&]*", "\1");
        set req.url = regsuball(req.url, "&&+", "&");
        set req.url = regsub(req.url, "\?&+", "?");
        set req.url = regsub(req.url, "[?&]+$", "");
    }
    # A public page is the same for every reader (the signed-in state comes
    # from /api/me), so it is looked up even when the reader has cookies.
    # What the paper marks private or no-store, Varnish does not keep.
    if ((req.method == "GET" || req.method == "HEAD") &&
        req.url !~ "^/(newsroom|account|signin|signout|comments?/|api/me)") {
        return (hash);
    }
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # the keys are for caches, not for readers
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
}
