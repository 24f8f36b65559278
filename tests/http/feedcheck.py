#!/usr/bin/python3
"""Reads a feed with Debian's python3-feedparser (a real feed library) and
prints what it understood as JSON, for the Node tests (feeds.test.mjs).

usage: feedcheck.py URL
"""
import calendar
import json
import sys
import urllib.request

import feedparser


def when(parsed):
    return calendar.timegm(parsed) if parsed else None


def main():
    with urllib.request.urlopen(sys.argv[1]) as r:
        body = r.read()
        headers = {k.lower(): v for k, v in r.headers.items()}
    d = feedparser.parse(body, response_headers=headers)
    out = {
        "bozo": bool(d.bozo),
        "bozo_exception": str(d.get("bozo_exception", "")),
        "version": d.version,
        "feed": {
            "title": d.feed.get("title"),
            "link": d.feed.get("link"),
            "id": d.feed.get("id"),
            "language": d.feed.get("language"),
            "updated": when(d.feed.get("updated_parsed")),
            "links": [{"rel": l.get("rel"), "href": l.get("href")} for l in d.feed.get("links", [])],
        },
        "entries": [
            {
                "title": e.get("title"),
                "link": e.get("link"),
                "id": e.get("id"),
                "guidislink": e.get("guidislink"),
                "published": when(e.get("published_parsed")),
                "updated": when(e.get("updated_parsed")),
                "author": e.get("author"),
                "authors": [a.get("name") for a in e.get("authors", [])],
                "tags": [t.get("term") for t in e.get("tags", [])],
                "summary": e.get("summary"),
                "content": [c.get("value") for c in e.get("content", [])],
            }
            for e in d.entries
        ],
    }
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
