"""html/markdown.js in the browser: what each Markdown construct becomes, and that nothing else gets in.

The renderer is loaded as the page loads it (an ES module under the page's CSP) and its output
serialised for comparison; only the static files are needed, so an in-process server serves them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from devserver.http_server import DevServer

pytestmark = pytest.mark.e2e

SITE = Path(__file__).resolve().parents[2] / "html"
LINK = ' target="_blank" rel="noopener noreferrer"'

CASES = [
    ("a\nb", "<p>a<br>b</p>"),
    ("para one\n\npara two", "<p>para one</p><p>para two</p>"),
    (
        "**b** *i* `c` _u_ __s__ ~~d~~",
        "<p><strong>b</strong> <em>i</em> <code>c</code> <em>u</em> <strong>s</strong> <del>d</del></p>",
    ),
    ("*a **b** c*", "<p><em>a <strong>b</strong> c</em></p>"),
    ("**a *b* c**", "<p><strong>a <em>b</em> c</strong></p>"),
    ("snake_case_name and 2 * 3 * 4", "<p>snake_case_name and 2 * 3 * 4</p>"),
    ("\\*not em\\*", "<p>*not em*</p>"),
    ("``code with ` tick``", "<p><code>code with ` tick</code></p>"),
    ("```\n<b>x</b>\n```", "<pre><code>&lt;b&gt;x&lt;/b&gt;</code></pre>"),
    (
        "```python\nprint('hi')\n```",
        '<pre data-language="python"><code class="language-python">print(\'hi\')</code></pre>',
    ),
    ("```js\nunclosed", '<pre data-language="js"><code class="language-js">unclosed</code></pre>'),
    ("1. a\n2. b", "<ol><li>a</li><li>b</li></ol>"),
    ("3. a\n4. b", '<ol start="3"><li>a</li><li>b</li></ol>'),
    ("- a\n  - b\n- c", "<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>"),
    ("- a\n\n- b", "<ul><li>a</li><li>b</li></ul>"),
    ("text\n- list right after", "<p>text</p><ul><li>list right after</li></ul>"),
    ("- item\n\n  more para\n- next", "<ul><li><p>item</p><p>more para</p></li><li>next</li></ul>"),
    ("# T\n## U", "<h3>T</h3><h4>U</h4>"),
    ("> q\n> r", "<blockquote><p>q<br>r</p></blockquote>"),
    ("---", "<hr>"),
    (
        "[docs](https://docs.aws.amazon.com/lex/)",
        f'<p><a href="https://docs.aws.amazon.com/lex/"{LINK}>docs</a></p>',
    ),
    ("[a **b**](https://x.y/p_(q))", f'<p><a href="https://x.y/p_(q)"{LINK}>a <strong>b</strong></a></p>'),
    ("<https://a.com>", f'<p><a href="https://a.com/"{LINK}>https://a.com</a></p>'),
    ("see https://a.com/x).", f'<p>see <a href="https://a.com/x"{LINK}>https://a.com/x</a>).</p>'),
    (
        "Here:\n| a | b |\n|:--|--:|\n| 1 | 2 |",
        '<p>Here:</p><div class="table-wrap"><table><thead><tr><th class="align-left">a</th>'
        '<th class="align-right">b</th></tr></thead><tbody><tr><td class="align-left">1</td>'
        '<td class="align-right">2</td></tr></tbody></table></div>',
    ),
    # Nothing but http(s) becomes a link; no HTML is ever interpreted.
    ("[x](javascript:alert(1))", "<p>x</p>"),
    ("[x](data:text/html,hi)", "<p>x</p>"),
    ("[x](/relative)", "<p>x</p>"),
    ("<javascript:alert(1)>", "<p>&lt;javascript:alert(1)&gt;</p>"),
    ("a<script>alert(1)</script>", "<p>a&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
    ('<img src=x onerror="alert(1)">', '<p>&lt;img src=x onerror="alert(1)"&gt;</p>'),
    (
        "[<img src=x onerror=alert(1)>](https://a.b)",
        f'<p><a href="https://a.b/"{LINK}>&lt;img src=x onerror=alert(1)&gt;</a></p>',
    ),
    ('```" onmouseover="alert(1)\nx\n```', "<pre><code>x</code></pre>"),
]


@pytest.fixture(scope="module")
def static_url() -> Iterator[str]:
    server = DevServer(("127.0.0.1", 0), site_dir=SITE, access_log=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def md_page(browser: Browser, static_url: str) -> Iterator[Page]:
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(static_url + "/chat.html")
    yield tab
    context.close()


def render(page: Page, sources: list[str]) -> list[str]:
    result: list[str] = page.evaluate(
        """async (sources) => {
            const { renderMarkdown } = await import('/markdown.js');
            return sources.map((source) => {
                const holder = document.createElement('div');
                holder.append(renderMarkdown(source));
                return holder.innerHTML;
            });
        }""",
        sources,
    )
    return result


def test_each_construct_renders_as_expected(md_page: Page) -> None:
    sources = [source for source, _ in CASES]
    rendered = render(md_page, sources)
    mismatches = [(s, want, got) for (s, want), got in zip(CASES, rendered, strict=True) if want != got]
    assert mismatches == []


def test_pathological_input_is_fast_and_bounded(md_page: Page) -> None:
    sources = [
        ">" * 5000 + "x",
        "*" * 20000,
        "[" * 5000 + "](" * 5000,
        "- " * 3000 + "x",
        "`" * 9999,
        "_a" * 8000,
    ]
    elapsed: float = md_page.evaluate(
        """async (sources) => {
            const { renderMarkdown } = await import('/markdown.js');
            const started = performance.now();
            for (const source of sources) { document.createElement('div').append(renderMarkdown(source)); }
            return performance.now() - started;
        }""",
        sources,
    )
    assert elapsed < 10_000  # no catastrophic backtracking (a hang), not a speed figure
