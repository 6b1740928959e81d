"""Print what a first visit to a page costs on the wire: the page and its CSS and JS.

Starts nothing itself: point it at a running server (`make run`, or gunicorn behind the proxy).

    .venv/bin/python bench/page_weight.py [BASE_URL] [--path /accounts/login/]

Each resource is fetched with `Accept-Encoding: gzip`. "raw" is the decoded size, "sent" the bytes on
the wire. When the server did not compress a resource (the development server does not compress
static files; WhiteNoise does in production), "gzip" is computed here and marked with *.
Images are listed but not counted: the budget (200 KB; `--budget` in KB) is for the first load
before images. The citizen portal's procedure and lookup pages have a 100 KB budget:

    .venv/bin/python bench/page_weight.py http://127.0.0.1:8000 --path /portal/lookup/ --budget 100
"""

import argparse
import gzip
import sys
import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

BUDGET = 200 * 1024


class AssetParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.assets: list[tuple[str, str]] = []  # (kind, url)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").lower().split()
        if tag == "link" and "stylesheet" in rel and attrs.get("href"):
            self.assets.append(("css", attrs["href"]))
        elif tag == "link" and "icon" in rel and attrs.get("href"):
            self.assets.append(("icon", attrs["href"]))
        elif tag == "script" and attrs.get("src"):
            self.assets.append(("js", attrs["src"]))
        elif tag == "img" and attrs.get("src") and not attrs["src"].startswith("data:"):
            self.assets.append(("img", attrs["src"]))


def fetch(url: str) -> tuple[bytes, bytes, str]:
    """Return (decoded body, bytes on the wire, content-encoding)."""
    # main() accepts only http(s) base URLs, and assets are joined onto the page URL.
    headers = {"Accept-Encoding": "gzip", "User-Agent": "page-weight/1"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        wire = response.read()
        encoding = response.headers.get("Content-Encoding", "")
    body = gzip.decompress(wire) if encoding == "gzip" else wire
    return body, wire, encoding


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument(
        "--path", default="/accounts/login/", help="page to weigh (default: the sign-in page)"
    )
    parser.add_argument("--budget", type=int, default=BUDGET // 1024, help="budget in KB (gzip)")
    args = parser.parse_args(argv)
    budget = args.budget * 1024
    if urlsplit(args.base_url).scheme not in ("http", "https"):
        parser.error("base_url must start with http:// or https://")

    page_url = urljoin(args.base_url.rstrip("/") + "/", args.path.lstrip("/"))
    rows = []
    try:
        body, wire, encoding = fetch(page_url)
    except urllib.error.URLError as exc:
        print(f"cannot fetch {page_url}: {exc.reason}. Is the server running?", file=sys.stderr)
        return 2
    rows.append(("html", args.path, body, wire, encoding))
    assets = AssetParser()
    assets.feed(body.decode("utf-8", errors="replace"))
    for kind, src in assets.assets:
        url = urljoin(page_url, src)
        if urlsplit(url).netloc != urlsplit(page_url).netloc:
            print(f"warning: {src} is not served by this site (CDN?)", file=sys.stderr)
        a_body, a_wire, a_encoding = fetch(url)
        rows.append((kind, urlsplit(url).path, a_body, a_wire, a_encoding))

    print(f"{'kind':5} {'resource':66} {'raw':>9} {'sent':>9} {'gzip':>10}")
    total_raw = total_sent = total_gzip = 0
    for kind, path, body, wire, encoding in rows:
        if encoding == "gzip":
            gz, mark = len(wire), " "
        else:
            gz, mark = len(gzip.compress(body)), "*"
        print(f"{kind:5} {path[:66]:66} {len(body):9,d} {len(wire):9,d} {gz:9,d}{mark}")
        if kind != "img":
            total_raw += len(body)
            total_sent += len(wire)
            total_gzip += gz
    print(f"{'':5} {'total before images':66} {total_raw:9,d} {total_sent:9,d} {total_gzip:9,d}")
    verdict = "within" if total_gzip <= budget else "OVER"
    print(f"budget {budget:,d} bytes (gzip): {verdict}; * = compressed here, the server sent it uncompressed")
    return 0 if total_gzip <= budget else 1


if __name__ == "__main__":
    sys.exit(main())
