#!/usr/bin/env python3
"""Crawl a site served by a static host, from START, and fail on any link that
does not answer 200 or that leaves PREFIX (the site's base path).

    python3 crawl.py http://127.0.0.1:8000 /my-clinic/

Follows href, src and srcset of every HTML page under PREFIX (same origin
only; other origins are listed, not fetched: the site makes no third-party
request on its own). Prints one line per problem and a summary; exit 1 if any.
"""
import sys
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src", "poster", "action"):
                self.urls.append(value)
            elif name == "srcset":
                for part in value.split(","):
                    part = part.strip()
                    if part:
                        self.urls.append(part.split()[0])


def fetch(url):
    req = urllib.request.Request(url, headers={"User-Agent": "follicle-ci-crawl"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, "", b""


def main():
    origin, prefix = sys.argv[1].rstrip("/"), sys.argv[2]
    start = origin + prefix
    seen, queue, problems, pages, files = {start}, [start], [], 0, 0
    while queue:
        url = queue.pop()
        status, ctype, body = fetch(url)
        files += 1
        if status != 200:
            problems.append(f"{status} {url}")
            continue
        if "text/html" not in ctype:
            continue
        pages += 1
        parser = Links()
        parser.feed(body.decode("utf-8", "replace"))
        for raw in parser.urls:
            if raw.startswith(("mailto:", "tel:", "data:", "#")):
                continue
            target = urllib.parse.urljoin(url, raw)
            target = urllib.parse.urldefrag(target)[0].split("?")[0]
            if not target.startswith(origin + "/"):
                continue
            path = target[len(origin):]
            if not path.startswith(prefix):
                problems.append(f"leaves {prefix}: {raw} (on {url})")
                continue
            if target not in seen:
                seen.add(target)
                queue.append(target)
    for p in problems:
        print(p)
    print(f"crawled {pages} pages and {files} files under {prefix}: {len(problems)} problems")
    sys.exit(1 if problems or pages < 10 else 0)


if __name__ == "__main__":
    main()
