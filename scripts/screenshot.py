"""Render the HTML view in headless Debian chromium and save a PNG of it.

Opens the page from disk with the network switched off, waits until the layout has
settled, and writes a screenshot; it fails if the page asked for anything outside
itself. Chinese labels need a CJK font (Debian: ``fonts-wqy-microhei`` or
``fonts-noto-cjk``); without one chromium draws boxes.

Usage::

    python3 scripts/screenshot.py                      # out/graph.html -> out/graph.png
    python3 scripts/screenshot.py page.html -o shot.png --search 中创新航
    python3 scripts/screenshot.py --connected -o scripts/screenshot.png   # the README's picture
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def screenshot(
    page_file: Path,
    png: Path,
    *,
    width: int = 1400,
    height: int = 900,
    search: str = "",
    connected: bool = False,
) -> dict:
    """Save a PNG of ``page_file``; return what was drawn and how long the layout took."""
    from playwright.sync_api import sync_playwright

    outside: list[str] = []

    def route(request_route) -> None:
        url = request_route.request.url
        if url.startswith(("file:", "data:")):
            request_route.continue_()
        else:
            outside.append(url)
            request_route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(offline=True, viewport={"width": width, "height": height})
            context.route("**/*", route)
            page = context.new_page()
            started = time.perf_counter()
            page.goto(page_file.resolve().as_uri())
            page.wait_for_function(
                "() => window.nekg && window.nekg.state.stabilized", timeout=120_000
            )
            settled = time.perf_counter() - started
            if connected and page.locator("#hide-isolated").count():
                page.check("#hide-isolated")
                page.evaluate("() => nekg.network.fit()")
            if search:
                page.fill("#search", search)
                page.press("#search", "Enter")
                page.wait_for_timeout(800)
            png.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(png))
            counts = page.evaluate("() => [nekg.nodes.length, nekg.edges.length]")
        finally:
            browser.close()
    if outside:
        raise SystemExit(f"the page asked for {len(outside)} outside resources, e.g. {outside[0]}")
    return {"nodes": counts[0], "edges": counts[1], "seconds": settled, "bytes": png.stat().st_size}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "page",
        nargs="?",
        type=Path,
        default=Path("out/graph.html"),
        help="the page to render (default: out/graph.html)",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        help="PNG to write (default: the page's name with .png)",
    )
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument(
        "--search", default="", help="search for this entity before taking the picture"
    )
    parser.add_argument("--connected", action="store_true", help="hide entities without relations")
    args = parser.parse_args(argv)
    if not args.page.is_file():
        print(f"error: {args.page} does not exist; run `nekg build` first", file=sys.stderr)
        return 1
    if not Path(CHROMIUM).exists():
        print(
            f"error: {CHROMIUM} is missing; install Debian's chromium (apt-get install chromium)",
            file=sys.stderr,
        )
        return 1
    png = args.output or args.page.with_suffix(".png")
    info = screenshot(
        args.page,
        png,
        width=args.width,
        height=args.height,
        search=args.search,
        connected=args.connected,
    )
    print(
        f"wrote {png} ({info['bytes'] // 1024} KB): {info['nodes']} nodes, {info['edges']} edges, layout settled in {info['seconds']:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
